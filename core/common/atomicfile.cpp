#include "common/atomicfile.h"

#include "trainbench/common/error.h"
#include "trainbench/platform/platform.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace trainbench {

void AtomicFile::write(const std::string& path, const std::string& contents)
{
    const std::string temp = path + ".tmp-" + std::to_string(Platform::processId());
    FILE* file = std::fopen(temp.c_str(), "wb");
    if (!file)
        throw Error(path + ": cannot write: " + std::strerror(errno));
    const bool written = std::fwrite(contents.data(), 1, contents.size(), file) == contents.size();
    const int writeError = errno;
    if (std::fclose(file) != 0 || !written) {
        std::remove(temp.c_str());
        throw Error(path + ": cannot write: " + std::strerror(written ? errno : writeError));
    }
    std::string reason;
    if (!Platform::replaceFile(temp, path, &reason)) {
        std::remove(temp.c_str());
        throw Error(path + ": cannot write: " + reason);
    }
}

} // namespace trainbench
