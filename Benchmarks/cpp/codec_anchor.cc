// The codec's limit anchor: C++ protobuf (Debian's libprotobuf-dev, protoc --cpp_out of
// Protos/pawnshop.proto) encoding and decoding the very messages codec-bench measures.
// codec-bench writes them (`codec-bench --write DIR`); this program decodes each file,
// checks that its own encoding is the same bytes, then times both directions with the same
// loop as codec-bench (a warm-up, then rounds until about SECONDS have passed).
// Prints `case ns bytes` per line. Usage: codec_anchor DIR [SECONDS]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "pawnshop.pb.h"

namespace {

volatile size_t sink = 0;

template <typename Body>
double measure(double seconds, Body body) {
    for (int i = 0; i < 1000; ++i) body();
    long iterations = 1000;
    while (true) {
        auto start = std::chrono::steady_clock::now();
        for (long i = 0; i < iterations; ++i) body();
        double nanos = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
        if (nanos >= seconds * 1e9) return nanos / iterations;
        iterations = nanos < 1e6 ? iterations * 10 : long(iterations * seconds * 1.1e9 / nanos);
    }
}

std::string slurp(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        std::fprintf(stderr, "codec_anchor: cannot read %s\n", path.c_str());
        std::exit(1);
    }
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

template <typename Message>
void run(const std::string& name, const std::string& bytes, double seconds) {
    Message message;
    if (!message.ParseFromString(bytes)) {
        std::fprintf(stderr, "codec_anchor: %s does not parse\n", name.c_str());
        std::exit(1);
    }
    std::string again;
    message.SerializeToString(&again);
    if (again != bytes) {
        std::fprintf(stderr, "codec_anchor: %s: C++ encodes %zu bytes, ours %zu, or different ones\n", name.c_str(),
                     again.size(), bytes.size());
        std::exit(1);
    }
    double encode = measure(seconds, [&] {
        std::string out;
        message.SerializeToString(&out);
        sink += out.size();
    });
    double decode = measure(seconds, [&] {
        Message decoded;
        decoded.ParseFromString(bytes);
        sink += decoded.IsInitialized();
    });
    std::printf("encode-%s %.1f %zu\n", name.c_str(), encode, bytes.size());
    std::printf("decode-%s %.1f %zu\n", name.c_str(), decode, bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: codec_anchor DIR [SECONDS]\n");
        return 2;
    }
    std::string directory = argv[1];
    double seconds = argc > 2 ? std::atof(argv[2]) : 1.0;
    run<pawnshop::v1::ItemWithHistory>("ItemWithHistory-100", slurp(directory + "/ItemWithHistory-100.bin"), seconds);
    run<pawnshop::v1::FetchItemsResponse>("FetchItemsResponse-100", slurp(directory + "/FetchItemsResponse-100.bin"),
                                          seconds);
    return 0;
}
