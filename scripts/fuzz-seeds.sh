#!/usr/bin/env bash
# Writes the seed inputs of the fuzz targets that are binary (or text with CRLF line breaks)
# into DIR/<Target>/ (default .build-fuzz/seeds), a few valid inputs each, from the hex built
# below: generated rather than committed, so the repository holds no binary files. The
# plain-text seeds are committed in Fuzz/Corpus/<Target>/. scripts/fuzz.sh runs this first.
# Usage: scripts/fuzz-seeds.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.build-fuzz/seeds}
rm -rf "${out:?}"/Fuzz*

# Everything below prints hex digits (bash strings cannot hold NUL); `seed` writes the bytes.

# seed TARGET NAME HEX…: the bytes of HEX… (spaces ignored) as the file DIR/TARGET/NAME.
seed() {
    local target=$1 name=$2 digits i
    shift 2
    digits=$(hex "$@")
    if ! [[ $digits =~ ^([0-9a-f][0-9a-f])*$ ]]; then
        echo "fuzz-seeds.sh: $target/$name is not whole bytes of hex: $digits" >&2
        exit 1
    fi
    mkdir -p "$out/$target"
    for ((i = 0; i < ${#digits}; i += 2)); do
        # shellcheck disable=SC2059 # the format is the escape \xHH, built here
        printf "\\x${digits:i:2}"
    done >"$out/$target/$name"
}
hex() { local joined="$*" && printf '%s' "${joined// /}"; }      # HEX…: joined, spaces removed
text() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }     # TEXT: its bytes
size() { echo $((${#1} / 2)); }                                 # HEX: how many bytes
u8() { printf '%02x' "$1"; }                                    # N: one byte

# --- Protobuf (field numbers from Protos/pawnshop.proto)
varint() { # N ≥ 0: base-128, low groups first
    local value=$1
    while ((value >= 128)); do
        printf '%02x' $(((value & 127) | 128))
        value=$((value >> 7))
    done
    printf '%02x' "$value"
}
pvarint() { varint $(($1 << 3)) && varint "$2"; }                         # FIELD N
pbytes() { varint $(($1 << 3 | 2)) && varint "$(size "$2")" && printf '%s' "$2"; } # FIELD HEX
pstring() { pbytes "$1" "$(text "$2")"; }                                 # FIELD TEXT

item=$(pstring 1 ring-1; pstring 2 "Gold ring"; pvarint 3 4; pvarint 4 45000; pvarint 5 1; pvarint 6 12
    pvarint 7 1; pstring 8 ana; pvarint 10 3)
add=$(pbytes 1 "$item"; pstring 2 e-1; pvarint 3 1; pstring 4 ana; pstring 5 2024-05-01)
buy=$(pstring 1 ana; pstring 2 ring-1; pvarint 3 40000; pstring 4 2024-05-02; pstring 5 e-2)
sell=$(pstring 1 bob; pstring 2 ring-1; pvarint 3 50000; pstring 4 2024-05-03T23:30:00-01:00
    pvarint 5 10000; pstring 6 e-3)
pawn=$(pstring 1 bob; pstring 3 ring-1; pvarint 4 9000; pvarint 5 5; pstring 6 2024-05-04; pvarint 7 30
    pstring 8 e-4)
redeem=$(pstring 1 bob; pstring 2 ring-1; pstring 3 2024-05-20; pstring 4 e-5)
forfeit=$(pstring 1 ring-1; pstring 2 2024-06-04; pstring 3 e-6)
loan=$(pstring 1 bob; pvarint 2 9000; pvarint 3 5; pstring 4 2024-05-04; pstring 5 2024-06-03)
history=$(pbytes 1 "$item"; pbytes 2 "$buy"; pbytes 3 "$sell"; pbytes 4 "$pawn"; pbytes 5 "$redeem"
    pbytes 6 "$forfeit")
page=$(pbytes 1 "$item"; pbytes 1 "$item"; pstring 2 ring-1)
heartbeat=$(pstring 1 w-1; pvarint 2 3; pvarint 4 1; pbytes 5 "$(pstring 1 items; pvarint 2 2; pvarint 3 7)"
    pvarint 6 42500; pstring 7 t)
audit=$(pstring 1 req-1; pstring 2 /item/action/buy; pstring 3 ana; pstring 4 e-2; pstring 5 ring-1
    pvarint 6 1; pvarint 7 202; pvarint 8 1714560000000000; pvarint 9 1714560000001000; pstring 10 buy-actions)
parked=$(pstring 1 buy-actions; pstring 2 ring-1; pbytes 3 "$buy"; pbytes 4 "$(pstring 1 eventId; pstring 2 e-2)"
    pvarint 5 1714560000000000)
# ageInMonths -1 (a ten-byte varint) and an unknown field 99, which must be kept.
odd=$(pstring 1 ring-1; varint $((6 << 3)); hex ffffffffffffffffff01; pvarint 99 5)

# FuzzProtobuf: the first byte is the index into its messageTypes.
seed FuzzProtobuf item "$(u8 0)$item"
seed FuzzProtobuf item-odd "$(u8 0)$odd"
seed FuzzProtobuf loan "$(u8 1)$loan"
seed FuzzProtobuf add "$(u8 2)$add"
seed FuzzProtobuf sell "$(u8 4)$sell"
seed FuzzProtobuf history "$(u8 9)$history"
seed FuzzProtobuf fetch-by-id "$(u8 10)$(pstring 1 ring-1)"
seed FuzzProtobuf page "$(u8 16)$page"
seed FuzzProtobuf heartbeat "$(u8 22)$heartbeat"
seed FuzzProtobuf audit "$(u8 29)$audit"
seed FuzzProtobuf parked "$(u8 31)$parked"
seed FuzzProtobuf otlp-any-value "$(u8 32)$(pstring 1 GET)"
seed FuzzProtobuf otlp-span "$(u8 37)$(pstring 5 'POST /item/add')"

# FuzzKafkaRecord: the first byte is the index into its topics (items, buy-actions, …).
seed FuzzKafkaRecord add "$(u8 0)$add"
seed FuzzKafkaRecord buy "$(u8 1)$buy"
seed FuzzKafkaRecord sell "$(u8 2)$sell"
seed FuzzKafkaRecord pawn "$(u8 3)$pawn"
seed FuzzKafkaRecord redeem "$(u8 4)$redeem"
seed FuzzKafkaRecord forfeit "$(u8 5)$forfeit"

# --- HPACK (RFC 7541 Appendix C)
c31=$(hex 8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d) # C.3.1, literals
c32=$(hex 8286 84be 5808 6e6f 2d63 6163 6865)                # C.3.2: index 62 is C.3.1's :authority
c41=$(hex 8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff)        # C.4.1, Huffman
seed FuzzHPACK c3.1 "$c31"
seed FuzzHPACK c3.1-c3.2 "$c31$c32"
seed FuzzHPACK c4.1 "$c41"
seed FuzzHPACK c2.1 400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572
seed FuzzHPACK c2.4-never-indexed 1008 7061 7373 776f 7264 0673 6563 7265 74
seed FuzzHPACK size-update 3fe1 1f82 # table size 4096, then :method GET
seed FuzzHPACK c5.1 4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 \
    3133 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d

# --- HTTP/2 frames and gRPC messages
frame() { printf '%06x%02x%02x%08x%s' "$(size "$4")" "$1" "$2" "$3" "$4"; } # TYPE FLAGS STREAM HEX
hstring() { u8 "$(size "$(text "$1")")" && text "$1"; }  # TEXT (< 127 bytes): an HPACK literal
grpc() { printf '00%08x%s' "$(size "$1")" "$1"; }         # HEX: one length-prefixed message
DATA=0 HEADERS=1 PRIORITY=2 RST=3 SETTINGS=4 PING=6 GOAWAY=7 WINDOW=8 CONTINUATION=9
END_STREAM=1 ACK=1 END_HEADERS=4 PADDED=8

fetch=$(pstring 1 ring-1)
path=/pawnshop.v1.Worker/FetchItemById
# POST :scheme http :path … :authority worker content-type application/grpc te trailers
request=$(hex 83 86 44 "$(hstring $path)" 41 "$(hstring worker)" 5f "$(hstring application/grpc)" \
    00 "$(hstring te)" "$(hstring trailers)")
response=$(hex 88 5f "$(hstring application/grpc)") # :status 200, content-type
trailers=$(hex 00 "$(hstring grpc-status)" "$(hstring 0)")
settings=$(frame $SETTINGS 0 0 "")

# FuzzHTTP2Server: the harness sends the preface; these are the client's frames after it.
seed FuzzHTTP2Server get "$settings$(frame $HEADERS $((END_STREAM | END_HEADERS)) 1 "$c31")"
# SETTINGS: INITIAL_WINDOW_SIZE 100, MAX_FRAME_SIZE 16384, MAX_HEADER_LIST_SIZE 8192.
seed FuzzHTTP2Server grpc "$(frame $SETTINGS 0 0 "$(hex 0004 00000064 0005 00004000 0006 00002000)")" \
    "$(frame $SETTINGS $ACK 0 "")" "$(frame $HEADERS $END_HEADERS 1 "$request")" \
    "$(frame $DATA $END_STREAM 1 "$(grpc "$fetch")")" "$(frame $WINDOW 0 0 000003e8)" \
    "$(frame $WINDOW 0 1 000007d0)" "$(frame $PING 0 0 0102030405060708)"
half=$((${#request} / 4 * 2)) # hex digits of half the bytes
seed FuzzHTTP2Server continuation-padding "$settings" \
    "$(frame $HEADERS 0 3 "${request:0:half}")" "$(frame $CONTINUATION $END_HEADERS 3 "${request:half}")" \
    "$(frame $DATA $((PADDED | END_STREAM)) 3 "02$(grpc "$fetch")0000")"
seed FuzzHTTP2Server reset-goaway "$settings" "$(frame $HEADERS $END_HEADERS 1 "$request")" \
    "$(frame $RST 0 1 00000008)" "$(frame $PRIORITY 0 5 0000000310)" \
    "$(frame $GOAWAY 0 0 "0000000100000000$(text bye)")"
seed FuzzHTTP2Server get-post-pipelined "$settings" "$(frame $HEADERS $((END_STREAM | END_HEADERS)) 1 "$c31")" \
    "$(frame $HEADERS $END_HEADERS 3 "$request")" "$(frame $DATA 0 3 "$(grpc "$fetch")")" \
    "$(frame $HEADERS $((END_STREAM | END_HEADERS)) 3 "$trailers")"

# FuzzHTTP2Client: the server's bytes for the client's stream 1.
seed FuzzHTTP2Client response "$settings" "$(frame $SETTINGS $ACK 0 "")" \
    "$(frame $HEADERS $END_HEADERS 1 "$response")" "$(frame $DATA 0 1 "$(grpc "$item")")" \
    "$(frame $HEADERS $((END_STREAM | END_HEADERS)) 1 "$trailers")"
seed FuzzHTTP2Client trailers-only "$settings" "$(frame $HEADERS $((END_STREAM | END_HEADERS)) 1 \
    "$response$(hex 00 "$(hstring grpc-status)" "$(hstring 5)" 00 "$(hstring grpc-message)" "$(hstring 'no item')")")"
# SETTINGS: HEADER_TABLE_SIZE 0, INITIAL_WINDOW_SIZE 0.
seed FuzzHTTP2Client control "$(frame $SETTINGS 0 0 "$(hex 0001 00000000 0004 00000000)")" \
    "$(frame $PING 0 0 0102030405060708)" "$(frame $PING $ACK 0 0807060504030201)" \
    "$(frame $WINDOW 0 1 0000ffff)" "$(frame $WINDOW 0 0 0000ffff)" "$(frame $GOAWAY 0 0 0000000100000000)"
seed FuzzHTTP2Client refused "$settings" "$(frame $RST 0 1 00000007)"

# FuzzGRPC: [cut] grpc-timeout LF :path LF request bytes.
lf=0a
seed FuzzGRPC one-message "$(u8 128)$(text 250m)$lf$(text $path)$lf$(grpc "$fetch")"
seed FuzzGRPC two-messages "$(u8 64)$(text 1H)$lf$(text $path)$lf$(grpc "$fetch")$(grpc "")"
seed FuzzGRPC compressed "$(u8 255)$(text 99999999S)$lf$(text /pawnshop.v1.Nope/X)$lf" 01 00000001 08
seed FuzzGRPC partial "$(u8 32)$(text 5n)$lf$(text $path)$lf" 00 00000010 0a03
seed FuzzGRPC too-large "$(u8 200)$(text 3M)$lf$(text $path)$lf" 00 00010001 0a

# --- BSON
le32() { local v=$(($1 & 0xFFFFFFFF)); printf '%02x%02x%02x%02x' $((v & 255)) $((v >> 8 & 255)) $((v >> 16 & 255)) $((v >> 24)); }
le64() { le32 $(($1 & 0xFFFFFFFF)) && le32 $(($1 >> 32)); }
document() { local body; body=$(hex "$@"); le32 $(($(size "$body") + 5)) && printf '%s00' "$body"; } # ELEMENT…
element() { printf '%s%s00%s' "$1" "$(text "$2")" "${3:-}"; }                                      # TYPE KEY HEX
bstring() { le32 $(($(size "$(text "$1")") + 1)) && printf '%s00' "$(text "$1")"; }
cstring() { printf '%s00' "$(text "$1")"; }

seed FuzzBSON item "$(document "$(element 02 _id "$(bstring ring-1)")" "$(element 02 name "$(bstring 'Gold ring')")" \
    "$(element 12 price "$(le64 45000)")" "$(element 10 version "$(le32 3)")" "$(element 08 sold 01)" \
    "$(element 0a owner)")"
scope=$(document "$(element 10 n "$(le32 1)")")
code=$(bstring "n + 1")$scope
seed FuzzBSON every-type "$(document \
    "$(element 01 double 000000000000f83f)" "$(element 02 string "$(bstring 'é €')")" \
    "$(element 03 document "$(document "$(element 02 clientId "$(bstring bob)")")")" \
    "$(element 04 array "$(document "$(element 02 0 "$(bstring a)")" "$(element 10 1 "$(le32 2)")")")" \
    "$(element 05 binary "$(le32 3)00010203")" "$(element 06 undefined)" \
    "$(element 07 objectId 65f1a2b3c4d5e6f708091011)" "$(element 08 bool 01)" \
    "$(element 09 datetime "$(le64 1717372800000)")" "$(element 0a null)" \
    "$(element 0b regex "$(cstring '^ring')$(cstring i)")" \
    "$(element 0c dbPointer "$(bstring db.items)65f1a2b3c4d5e6f708091011")" \
    "$(element 0d javascript "$(bstring 'x = 1')")" "$(element 0e symbol "$(bstring sym)")" \
    "$(element 0f codeWithScope "$(le32 $(($(size "$code") + 4)))$code")" \
    "$(element 10 int32 "$(le32 7)")" "$(element 11 timestamp "$(le32 1)$(le32 1717372800)")" \
    "$(element 12 int64 "$(le64 1714560000000)")" \
    "$(element 13 decimal128 01000000000000000000000000003040)" "$(element ff minKey)" "$(element 7f maxKey)")"
deep=$(document "$(element 10 leaf "$(le32 1)")")
for _ in 1 2 3 4 5 6 7 8; do deep=$(document "$(element 03 d "$deep")"); done
seed FuzzBSON nested "$deep"

# --- Text with CRLF line breaks
# FuzzHTTP1Request: [cut] then the request bytes.
body='{"id":"ring-1","name":"Gold ring","category":"Jewelry","price":10000,"state":"Good","ageInMonths":12}'
seed FuzzHTTP1Request get "$(u8 128)$(text $'GET /item/fetch?name=Gold+ring&limit=5 HTTP/1.1\r\nHost: x\r\nUser-Agent: t\r\n\r\n')"
seed FuzzHTTP1Request post-json "$(u8 64)$(text $'POST /item/add HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: '"${#body}"$'\r\n\r\n'"$body")"
seed FuzzHTTP1Request chunked "$(u8 192)$(text $'POST /item/add HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nA\r\n0123456789\r\n1 ; a="b"\r\n!\r\n0\r\nTrailer: t\r\n\r\n')"
seed FuzzHTTP1Request pipelined "$(u8 16)$(text $'\r\nGET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET /d?x=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')"
seed FuzzHTTP1Request expect-continue "$(u8 96)$(text $'POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc')"
seed FuzzHTTP1Request http10 "$(u8 0)$(text $'GET http://example.com:8080/p?q=%C3%A9 HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\nOPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n')"

# FuzzFraudList: a byte-order mark and CRLF.
seed FuzzFraudList bom-crlf "efbbbf$(text $'Ana\r\n  Bob Smith \r\n\r\nCAROL\r\nana\r\n')"
