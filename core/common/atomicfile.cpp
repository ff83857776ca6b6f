#include "common/atomicfile.h"

#include "trainbench/common/error.h"
#include "trainbench/platform/platform.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

namespace trainbench {

namespace fs = std::filesystem;

namespace {

constexpr const char* kMarker = ".tmp-";

/// A temporary name beside `path`: unique per process and call, and not guessable (a random
/// part), so no one can plant a file or link there in advance.
std::string temporaryBeside(const std::string& path)
{
    static std::atomic<unsigned> counter{0};
    static const uint64_t salt =
        std::random_device{}() ^
        uint64_t(std::chrono::steady_clock::now().time_since_epoch().count());
    char random[17];
    std::snprintf(random, sizeof random, "%016llx",
                  static_cast<unsigned long long>(salt * 0x9E3779B97F4A7C15ULL + counter.load()));
    return path + kMarker + std::to_string(Platform::processId()) + "-" +
           std::to_string(counter++) + "-" + random;
}

void removeQuietly(const std::string& path)
{
    std::error_code ignored;
    fs::remove(fs::u8path(path), ignored);
}

/// Creates a new temporary file beside `path` and writes `parts` to it; returns its name.
std::string writeTemporary(const std::string& path, std::initializer_list<std::string_view> parts)
{
    const std::string temp = temporaryBeside(path);
    std::string reason;
    std::FILE* file = Platform::createExclusive(temp, &reason);
    if (!file)
        throw Error(path + ": cannot write: " + reason);
    bool ok = true;
    int writeErrno = 0;
    for (const auto& part : parts)
        ok = ok && std::fwrite(part.data(), 1, part.size(), file) == part.size();
    ok = std::fflush(file) == 0 && ok;
    if (!ok)
        writeErrno = errno;
    if (std::fclose(file) != 0 && ok) {
        ok = false;
        writeErrno = errno;
    }
    if (!ok) {
        removeQuietly(temp);
        throw Error(path + ": cannot write: " +
                    (writeErrno ? std::string(std::strerror(writeErrno)) : "write failed") +
                    " (disk full?)");
    }
    return temp;
}

void replace(const std::string& temp, const std::string& path)
{
    std::string reason;
    if (!Platform::replaceFile(temp, path, &reason)) {
        removeQuietly(temp);
        throw Error(path + ": cannot write: " + reason);
    }
}

} // namespace

void AtomicFile::write(const std::string& path, const std::string& contents)
{
    write(path, {std::string_view(contents)});
}

void AtomicFile::write(const std::string& path, std::initializer_list<std::string_view> parts)
{
    removeStaleTemporaries(path);
    replace(writeTemporary(path, parts), path);
}

void AtomicFile::copy(const std::string& source, const std::string& target)
{
    // Read, then written through the temporary file this process created: nothing is ever
    // reopened by name, where a swapped-in link could redirect it.
    std::error_code error;
    const auto size = fs::file_size(fs::u8path(source), error);
    std::ifstream in(fs::u8path(source), std::ios::binary); // wide paths on Windows
    if (error || !in)
        throw Error(target + ": cannot copy " + source + ": " +
                    (error ? error.message() : std::string("cannot open it")));
    std::string bytes(size_t(size), '\0');
    in.read(bytes.data(), std::streamsize(bytes.size()));
    if (in.gcount() != std::streamsize(bytes.size()))
        throw Error(target + ": cannot copy " + source + ": it changed while being read");
    write(target, bytes);
}

void AtomicFile::link(const std::string& source, const std::string& target)
{
    removeStaleTemporaries(target);
    // The link is made at a fresh temporary name (nothing planted there), then replaces the
    // target atomically, as write() does.
    const std::string temp = temporaryBeside(target);
    if (!Platform::linkFile(source, temp)) {
        copy(source, target); // Windows, FAT, some network shares
        return;
    }
    replace(temp, target);
    // Renaming one name of a file over another of the same file does nothing on POSIX and
    // leaves the temporary name (target already was a name of source's file).
    removeQuietly(temp);
}

void AtomicFile::checkWritable(const std::string& path)
{
    removeQuietly(writeTemporary(path, {}));
}

void AtomicFile::removeStaleTemporaries(const std::string& path)
{
    const fs::path target = fs::u8path(path);
    const std::string prefix = target.filename().u8string() + kMarker;
    const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::error_code error;
    for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
        const std::string name = it->path().filename().u8string();
        if (name.rfind(prefix, 0) != 0)
            continue;
        // "<name>.tmp-<pid>-<counter>-<random>": the writer's process id.
        const std::string rest = name.substr(prefix.size());
        char* stop = nullptr;
        const long long pid = std::strtoll(rest.c_str(), &stop, 10);
        if (stop == rest.c_str() || *stop != '-' || pid <= 0)
            continue;
        if (pid != Platform::processId() && !Platform::processAlive(pid)) {
            std::error_code ignored;
            fs::remove(it->path(), ignored);
        }
    }
}

} // namespace trainbench
