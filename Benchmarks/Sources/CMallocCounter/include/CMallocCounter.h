// Counts heap allocations in the benchmark process (malloc and friends are defined here and
// forward to glibc's own), so the codec benchmark can report allocations per operation.
#pragma once
unsigned long long pawn_allocation_count(void);
