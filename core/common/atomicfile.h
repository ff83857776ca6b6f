#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace trainbench {

/// Writes files so that readers see the old or the new contents, never a part (internal to
/// core): a temporary file beside the target, created exclusively under a name no other writer
/// uses (never through a planted link), then one atomic replace. A failed write (disk full)
/// removes its temporary file and throws; temporary files left by processes that died (kill -9
/// during a save) are removed by the next write beside them.
class AtomicFile
{
public:
    /// Replaces `path` with `contents`; throws Error naming `path` and the reason.
    static void write(const std::string& path, const std::string& contents);
    /// Replaces `path` with the concatenation of `parts` (large blocks written without copies).
    static void write(const std::string& path, std::initializer_list<std::string_view> parts);
    /// Replaces `target` with a copy of `source`; throws Error naming `target` and the reason.
    static void copy(const std::string& source, const std::string& target);
    /// Replaces `target` with `source`'s present contents as a second name of the same file
    /// (a hard link: no bytes copied) where the system allows (Platform::linkFile), else a copy.
    /// Only for a source that is only ever replaced whole (write()), never changed in place: the
    /// target then keeps these contents when the source is next replaced. Throws as copy() does.
    static void link(const std::string& source, const std::string& target);
    /// Throws Error naming `path` when a file cannot be created beside it (checked before long
    /// work that ends in writing it); leaves nothing behind.
    static void checkWritable(const std::string& path);
    /// Removes the temporary files of `path` whose process is gone.
    static void removeStaleTemporaries(const std::string& path);
};

} // namespace trainbench
