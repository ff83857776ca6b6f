// Platform on Linux and macOS (POSIX); the branches where the two differ are marked.
#include "trainbench/platform/platform.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <unistd.h>

namespace trainbench {

int64_t Platform::processId()
{
    return int64_t(::getpid());
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

bool Platform::replaceFile(const std::string& source, const std::string& target, std::string* error)
{
    if (std::rename(source.c_str(), target.c_str()) == 0)
        return true;
    if (error)
        *error = std::strerror(errno);
    return false;
}

void* Platform::findSymbol(const char* name)
{
    return ::dlsym(RTLD_DEFAULT, name);
}

void Platform::setEnvironment(const char* name, const char* value)
{
    ::setenv(name, value, 1);
}

void Platform::restartSelf(char** argv)
{
#if defined(__linux__)
    ::execv("/proc/self/exe", argv);
#else
    // macOS: OpenBLAS is not the BLAS of the libtorch builds used there (Accelerate is).
    (void)argv;
#endif
}

} // namespace trainbench
