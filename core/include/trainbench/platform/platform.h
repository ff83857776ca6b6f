#pragma once

#include <cstdint>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

namespace trainbench {

/// The few operating-system services the C++17 standard library lacks, with Linux, macOS and
/// Windows implementations (core/platform/platform_posix.cpp, platform_windows.cpp). Nothing
/// outside core/platform includes an OS header; everything else uses std::filesystem and
/// std::chrono.
class Platform
{
public:
    /// The standard streams isTerminal() can ask about.
    enum class Stream { Output, Error };

    /// This process's id (for unique temporary and event-file names).
    static int64_t processId();
    /// True while process `pid` of this machine exists (a run folder left "running" by a
    /// process that is gone was interrupted).
    static bool processAlive(int64_t pid);
    /// The user's folder for application data: $XDG_DATA_HOME or ~/.local/share on Linux,
    /// ~/Library/Application Support on macOS, %APPDATA% on Windows (as Qt's AppDataLocation).
    static std::string userDataDir();
    /// The user's folder for caches: $XDG_CACHE_HOME or ~/.cache on Linux, ~/Library/Caches
    /// on macOS, %LOCALAPPDATA% on Windows.
    static std::string userCacheDir();
    /// This machine's name, "localhost" when it has none.
    static std::string hostName();
    /// True when `stream` is an interactive terminal (progress bars go only there).
    static bool isTerminal(Stream stream);
    /// `time` as local calendar time (thread-safe, unlike std::localtime).
    static std::tm localTime(std::time_t time);
    /// `time` as UTC calendar time (thread-safe, unlike std::gmtime).
    static std::tm utcTime(std::time_t time);
    /// Atomically replaces `target` by `source` (both on one volume), also when `target`
    /// exists: POSIX rename(); MoveFileEx(MOVEFILE_REPLACE_EXISTING) on Windows, where
    /// rename() refuses an existing target. Returns false with `error` set on failure.
    static bool replaceFile(const std::string& source, const std::string& target,
                            std::string* error);
    /// Gives the file `existing` the second name `link` (a hard link), where each name can then
    /// be replaced while the other is open for reading: POSIX link(). False where that does not
    /// hold (Windows: an open file blocks replacing any of its names) or links are refused
    /// (FAT, some network shares).
    static bool linkFile(const std::string& existing, const std::string& link);
    /// Size and modification time (in the system's own units) of a file, with one call to the
    /// system where std::filesystem needs two; false when it cannot be read.
    static bool fileStamp(const std::string& path, int64_t* size, int64_t* modified);
    /// Makes writing past the file-size limit (RLIMIT_FSIZE) an error that the write reports
    /// instead of a signal that kills the process (POSIX; nothing to do on Windows).
    static void reportFileSizeLimitAsError();
    /// Creates and opens `path` for binary writing only when nothing is there yet — no file,
    /// and no symbolic link, which is never followed (O_CREAT|O_EXCL on POSIX; CREATE_NEW on
    /// Windows). Returns null with `error` set when that is not possible.
    static std::FILE* createExclusive(const std::string& path, std::string* error);
    /// Address of an exported function in any loaded library, or null (e.g. OpenBLAS's
    /// openblas_set_num_threads, present only when OpenBLAS provides the BLAS).
    static void* findSymbol(const char* name);
    /// Sets an environment variable for this process and the ones it starts.
    static void setEnvironment(const char* name, const char* value);
    /// The path of this program's executable (/proc/self/exe, _NSGetExecutablePath,
    /// GetModuleFileNameW); empty when it cannot be told.
    static std::string executablePath();
    /// Starts `program` (a path, or a bare name looked up on PATH) with `arguments` (not
    /// including the program), sharing this process's
    /// standard streams and environment; returns a handle for pollProcess() and endProcess(),
    /// or -1 with `error` set.
    static int64_t startProcess(const std::string& program,
                                const std::vector<std::string>& arguments, std::string* error);
    /// True once process `handle` has ended, with its exit code in `exitCode` (128 + the signal
    /// for one killed by a signal, as shells report it); never waits. Once it has returned
    /// true the handle is released: do not pass it again.
    static bool pollProcess(int64_t handle, int* exitCode);
    /// Ends process `handle`: asks politely (SIGTERM) or, with `force`, at once (SIGKILL;
    /// TerminateProcess on Windows either way).
    static void endProcess(int64_t handle, bool force);
    /// Runs this program again in place of this process with the same arguments (Linux only:
    /// settings read while libraries load need a fresh start), with `environment` instead of
    /// this process's where given (a system call alone: usable before the C library is set up).
    /// Returns only when that is not possible here or it failed.
    static void restartSelf(char** argv, char** environment = nullptr);
};

} // namespace trainbench
