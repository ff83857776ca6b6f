#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace trainbench {

/// Checks a checkpoint's tensor data records against what its pickled metadata says they hold,
/// before libtorch loads it (internal to core). libtorch 1.13 sizes a loaded storage from the
/// metadata but takes its memory from the record, so a record shorter than declared would give a
/// tensor over memory it does not own.
class CheckpointRecords
{
public:
    /// One storage the metadata declares: its key (record "data/KEY"), element size and count.
    struct Storage
    {
        std::string key;
        int64_t elementSize = 0;
        int64_t elements = 0;
    };

    /// Throws Error naming `path` when a storage's record holds fewer bytes than declared. A file
    /// it cannot read or parse is left to libtorch's loader, which reports it.
    static void check(const std::string& path);
    /// The storages declared in `pickle` (a data.pkl); `parsed` false when it holds something
    /// this small reader does not follow, `damaged` (when given) true when that is a length or
    /// memo index running past the end of the data.
    static std::vector<Storage> storages(const std::string& pickle, bool* parsed,
                                         bool* damaged = nullptr);
};

} // namespace trainbench
