import PawnPorts
import Testing

/// What every `ParkingLot` must do, run against each implementation (given an empty lot).
public enum ParkingLotContract {
    /// Order, per-item counts, fenced removal, and the lease's exclusion and expiry.
    public static func check(_ lot: any ParkingLot, leaseFor duration: Duration) async throws {
        #expect(try await lot.count() == 0)
        #expect(try await lot.holdsRecords(of: "a") == false)
        for (record, item) in [([1], "a"), ([2], "b"), ([3], "a"), ([4], "")] as [([UInt8], String)] {
            try await lot.append(record, item: item)
        }
        #expect(try await lot.count() == 4)
        #expect(try await lot.first(3) == [[1], [2], [3]])
        #expect(try await lot.holdsRecords(of: "a"))
        #expect(try await lot.holdsRecords(of: "b"))

        // Leases that must stay held last a minute, so that a slow machine (a sanitized
        // suite) cannot let them run out between two checks; `duration` is the one that must.
        let held = Duration.seconds(60)
        let first = try #require(try await lot.acquireLease(owner: "one", duration: held))
        #expect(try await lot.acquireLease(owner: "two", duration: held) == nil, "two drainers at once")
        #expect(try await lot.renew(first, duration: held))
        // Removing the head takes the records' items off the counts.
        #expect(try await lot.removeFirst(["a", "b"], holding: first))
        #expect(try await lot.first(10) == [[3], [4]])
        #expect(try await lot.holdsRecords(of: "a"), "a still has [3] parked")
        #expect(try await lot.holdsRecords(of: "b") == false)

        // Lapsed while nobody took it (a holder paused past its expiry: a starved pool, say),
        // the lease is still the last one given out, and nobody touched the head since:
        // its holder keeps draining, and nothing is published twice.
        #expect(try await lot.renew(first, duration: duration))
        try await Task.sleep(for: duration * 2)
        #expect(try await lot.renew(first, duration: duration), "a lapsed lease nobody took was not renewed")
        try await Task.sleep(for: duration * 2)
        #expect(
            try await lot.removeFirst(["a"], holding: first), "a lapsed lease nobody took removed nothing")
        #expect(try await lot.first(10) == [[4]])
        try await lot.append([3], item: "a")
        try await Task.sleep(for: duration * 2)

        // Expired, the lease goes to another; the old holder is fenced off.
        let second = try #require(try await lot.acquireLease(owner: "two", duration: held))
        #expect(second.fence > first.fence)
        #expect(try await lot.renew(first, duration: held) == false)
        #expect(try await lot.removeFirst([""], holding: first) == false, "a lost lease removed records")
        try await lot.release(first)  // not the holder: changes nothing
        #expect(try await lot.acquireLease(owner: "three", duration: held) == nil)
        #expect(try await lot.first(10) == [[4], [3]])
        #expect(try await lot.removeFirst(["", "a"], holding: second))
        #expect(try await lot.count() == 0)
        #expect(try await lot.holdsRecords(of: "a") == false)
        // Released, it is free at once.
        try await lot.release(second)
        let third = try #require(try await lot.acquireLease(owner: "three", duration: held))
        #expect(third.fence > second.fence)
        try await lot.release(third)

        // Dead letters: listed oldest first, moved back to the tail with their items.
        try await lot.bury([7])
        try await lot.bury([8])
        #expect(try await lot.deadLetters(1) == ([[7]], 2))
        #expect(try await lot.redrive([([8], "late")]) == 0, "moved a record that is not the dead head")
        #expect(try await lot.redrive([([7], "p"), ([8], "q")]) == 2)
        #expect(try await lot.deadLetters(10) == ([], 0))
        #expect(try await lot.first(10) == [[7], [8]])
        #expect(try await lot.holdsRecords(of: "p"))
        #expect(try await lot.holdsRecords(of: "q"))
    }
}
