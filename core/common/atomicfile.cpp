#include "common/atomicfile.h"

#include "trainbench/common/error.h"
#include "trainbench/platform/platform.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace trainbench {

void AtomicFile::write(const std::string& path, const std::string& contents)
{
    // Unique per process and per call: two threads of one program never share a temp file.
    static std::atomic<unsigned> counter{0};
    const std::string temp =
        path + ".tmp-" + std::to_string(Platform::processId()) + "-" + std::to_string(counter++);
    const std::filesystem::path tempPath = std::filesystem::u8path(temp); // UTF-8 on every system
    std::error_code ignored;
    {
        std::ofstream out(tempPath, std::ios::binary | std::ios::trunc);
        if (!out)
            throw Error(path + ": cannot write: " + std::strerror(errno));
        out.write(contents.data(), std::streamsize(contents.size()));
        out.close();
        if (!out) {
            std::filesystem::remove(tempPath, ignored);
            throw Error(path + ": cannot write (disk full?)");
        }
    }
    std::string reason;
    if (!Platform::replaceFile(temp, path, &reason)) {
        std::filesystem::remove(tempPath, ignored);
        throw Error(path + ": cannot write: " + reason);
    }
}

} // namespace trainbench
