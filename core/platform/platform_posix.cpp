// Platform on Linux and macOS (POSIX); the branches where the two differ are marked.
#include "trainbench/platform/platform.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#if defined(__APPLE__)
#include <mach-o/dyld.h>
#endif

namespace trainbench {

int64_t Platform::processId()
{
    return int64_t(::getpid());
}

bool Platform::processAlive(int64_t pid)
{
    if (pid <= 0)
        return false;
    // Signal 0 checks without sending; EPERM: it exists but belongs to someone else.
    if (::kill(pid_t(pid), 0) != 0 && errno != EPERM)
        return false;
#if defined(__linux__)
    // A killed process stays a zombie until its parent reaps it: that is gone, too.
    if (FILE* stat = std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r")) {
        char line[512] = {};
        const size_t n = std::fread(line, 1, sizeof line - 1, stat);
        std::fclose(stat);
        const char* close = std::strrchr(line, ')'); // the name may hold spaces and parentheses
        if (n > 0 && close && close[1] == ' ' && close[2] == 'Z')
            return false;
    }
#endif
    return true;
}

std::string Platform::userDataDir()
{
    const char* home = std::getenv("HOME");
    const std::string base = home && *home ? home : ".";
#if defined(__APPLE__)
    return base + "/Library/Application Support";
#else
    const char* xdg = std::getenv("XDG_DATA_HOME");
    return xdg && *xdg == '/' ? std::string(xdg) : base + "/.local/share";
#endif
}

std::string Platform::userCacheDir()
{
    const char* home = std::getenv("HOME");
    const std::string base = home && *home ? home : ".";
#if defined(__APPLE__)
    return base + "/Library/Caches";
#else
    const char* xdg = std::getenv("XDG_CACHE_HOME");
    return xdg && *xdg == '/' ? std::string(xdg) : base + "/.cache";
#endif
}

std::string Platform::hostName()
{
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0 || !name[0])
        return "localhost";
    return name;
}

bool Platform::isTerminal(Stream stream)
{
    return ::isatty(stream == Stream::Output ? STDOUT_FILENO : STDERR_FILENO) == 1;
}

std::tm Platform::localTime(std::time_t time)
{
    std::tm local{};
    ::localtime_r(&time, &local);
    return local;
}

std::tm Platform::utcTime(std::time_t time)
{
    std::tm utc{};
    ::gmtime_r(&time, &utc);
    return utc;
}

bool Platform::replaceFile(const std::string& source, const std::string& target, std::string* error)
{
    if (std::rename(source.c_str(), target.c_str()) == 0)
        return true;
    if (error)
        *error = std::strerror(errno);
    return false;
}

bool Platform::linkFile(const std::string& existing, const std::string& link)
{
    return ::link(existing.c_str(), link.c_str()) == 0;
}

void Platform::reportFileSizeLimitAsError()
{
    // SIGXFSZ would end the process mid-save; ignored, the write fails with EFBIG and the save
    // reports it like a full disk.
    std::signal(SIGXFSZ, SIG_IGN);
}

bool Platform::fileStamp(const std::string& path, int64_t* size, int64_t* modified)
{
    struct stat info;
    if (::stat(path.c_str(), &info) != 0)
        return false;
    *size = int64_t(info.st_size);
#if defined(__APPLE__)
    *modified = int64_t(info.st_mtimespec.tv_sec) * 1000000000 + info.st_mtimespec.tv_nsec;
#else
    *modified = int64_t(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec;
#endif
    return true;
}

std::FILE* Platform::createExclusive(const std::string& path, std::string* error)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        if (error)
            *error = std::strerror(errno);
        return nullptr;
    }
    std::FILE* file = ::fdopen(fd, "wb");
    if (!file) {
        if (error)
            *error = std::strerror(errno);
        ::close(fd);
        ::unlink(path.c_str());
    }
    return file;
}

void* Platform::findSymbol(const char* name)
{
    return ::dlsym(RTLD_DEFAULT, name);
}

void Platform::setEnvironment(const char* name, const char* value)
{
    ::setenv(name, value, 1);
}

std::string Platform::executablePath()
{
#if defined(__APPLE__)
    uint32_t size = 0;
    _NSGetExecutablePath(nullptr, &size);
    std::string path(size, '\0');
    if (_NSGetExecutablePath(path.data(), &size) != 0)
        return {};
    path.resize(std::strlen(path.c_str()));
    return path;
#else
    std::string path(4096, '\0');
    const ssize_t n = ::readlink("/proc/self/exe", path.data(), path.size() - 1);
    if (n <= 0)
        return {};
    path.resize(size_t(n));
    return path;
#endif
}

int64_t Platform::startProcess(const std::string& program,
                               const std::vector<std::string>& arguments, std::string* error)
{
    std::vector<std::string> all{program};
    all.insert(all.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (auto& a : all)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    // A pipe closed on exec tells the parent whether exec worked.
    int report[2];
    if (::pipe(report) != 0) {
        if (error)
            *error = std::strerror(errno);
        return -1;
    }
    ::fcntl(report[1], F_SETFD, FD_CLOEXEC);
    const pid_t pid = ::fork();
    if (pid < 0) {
        if (error)
            *error = std::strerror(errno);
        ::close(report[0]);
        ::close(report[1]);
        return -1;
    }
    if (pid == 0) {
        ::close(report[0]);
        // A bare name is looked up on PATH, as a shell would.
        ::execvp(argv[0], argv.data());
        const int code = errno;
        (void)!::write(report[1], &code, sizeof code);
        ::_exit(127);
    }
    ::close(report[1]);
    int code = 0;
    const ssize_t n = ::read(report[0], &code, sizeof code);
    ::close(report[0]);
    if (n == sizeof code) {
        ::waitpid(pid, nullptr, 0);
        if (error)
            *error = program + ": " + std::strerror(code);
        return -1;
    }
    return int64_t(pid);
}

bool Platform::pollProcess(int64_t handle, int* exitCode)
{
    int status = 0;
    const pid_t done = ::waitpid(pid_t(handle), &status, WNOHANG);
    if (done == 0)
        return false;
    if (exitCode)
        *exitCode = done < 0              ? 1
                    : WIFEXITED(status)   ? WEXITSTATUS(status)
                    : WIFSIGNALED(status) ? 128 + WTERMSIG(status)
                                          : 1;
    return true;
}

void Platform::endProcess(int64_t handle, bool force)
{
    ::kill(pid_t(handle), force ? SIGKILL : SIGTERM);
}

void Platform::restartSelf(char** argv, char** environment)
{
#if defined(__linux__)
    if (environment)
        ::execve("/proc/self/exe", argv, environment);
    else
        ::execv("/proc/self/exe", argv);
#else
    // macOS: OpenBLAS is not the BLAS of the libtorch builds used there (Accelerate is).
    (void)argv;
    (void)environment;
#endif
}

} // namespace trainbench
