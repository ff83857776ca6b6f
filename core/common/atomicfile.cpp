#include "common/atomicfile.h"

#include "trainbench/common/error.h"
#include "trainbench/platform/platform.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace trainbench {

namespace {

/// A temporary name beside `path`, unique per process and per call: two threads of one program
/// never share one.
std::string temporaryBeside(const std::string& path)
{
    static std::atomic<unsigned> counter{0};
    return path + ".tmp-" + std::to_string(Platform::processId()) + "-" + std::to_string(counter++);
}

void replace(const std::string& temp, const std::string& path)
{
    std::string reason;
    if (!Platform::replaceFile(temp, path, &reason)) {
        std::error_code ignored;
        std::filesystem::remove(std::filesystem::u8path(temp), ignored);
        throw Error(path + ": cannot write: " + reason);
    }
}

} // namespace

void AtomicFile::copy(const std::string& source, const std::string& target)
{
    const std::string temp = temporaryBeside(target);
    std::error_code error;
    std::filesystem::copy_file(std::filesystem::u8path(source), std::filesystem::u8path(temp),
                               std::filesystem::copy_options::overwrite_existing, error);
    if (error) {
        std::error_code ignored;
        std::filesystem::remove(std::filesystem::u8path(temp), ignored);
        throw Error(target + ": cannot write: " + error.message());
    }
    replace(temp, target);
}

void AtomicFile::write(const std::string& path, const std::string& contents)
{
    const std::string temp = temporaryBeside(path);
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
    replace(temp, path);
}

} // namespace trainbench
