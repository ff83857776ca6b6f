#pragma once

#include <string>

namespace trainbench {

/// Writes small text files so that readers see the old or the new contents, never a part
/// (internal to core): a temporary file beside the target, then one atomic replace.
class AtomicFile
{
public:
    /// Replaces `path` with `contents`; throws Error naming `path` and the reason.
    static void write(const std::string& path, const std::string& contents);
    /// Replaces `target` with a copy of `source`; throws Error naming `target` and the reason.
    static void copy(const std::string& source, const std::string& target);
};

} // namespace trainbench
