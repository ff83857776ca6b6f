// Platform on Windows.
#include "trainbench/platform/platform.h"

#include "platform/windowsapi.h"

#include <fcntl.h>
#include <io.h>
#include <psapi.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace trainbench {

namespace {

std::wstring widen(const std::string& utf8)
{
    if (utf8.empty())
        return {};
    const int n = MultiByteToWideChar(CP_UTF8, 0, utf8.data(), int(utf8.size()), nullptr, 0);
    std::wstring wide(size_t(n), L'\0');
    MultiByteToWideChar(CP_UTF8, 0, utf8.data(), int(utf8.size()), wide.data(), n);
    return wide;
}

std::string lastErrorText()
{
    const DWORD code = GetLastError();
    char* buffer = nullptr;
    const DWORD n = FormatMessageA(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
                                       FORMAT_MESSAGE_IGNORE_INSERTS,
                                   nullptr, code, 0, reinterpret_cast<LPSTR>(&buffer), 0, nullptr);
    std::string text = n && buffer ? std::string(buffer, n) : "error " + std::to_string(code);
    LocalFree(buffer);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == '.'))
        text.pop_back();
    return text;
}

} // namespace

int64_t Platform::processId()
{
    return int64_t(GetCurrentProcessId());
}

bool Platform::processAlive(int64_t pid)
{
    HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, DWORD(pid));
    if (!process)
        return GetLastError() == ERROR_ACCESS_DENIED; // exists, but not ours to query
    DWORD code = 0;
    const bool running = GetExitCodeProcess(process, &code) && code == STILL_ACTIVE;
    CloseHandle(process);
    return running;
}

namespace {

/// An environment variable as UTF-8 like every path in core (the narrow getenv is in the ANSI
/// code page and mangles non-ASCII user names); "." when unset.
std::string wideEnvironment(const wchar_t* name)
{
    const wchar_t* value = _wgetenv(name);
    if (!value || !*value)
        return ".";
    const int n = WideCharToMultiByte(CP_UTF8, 0, value, -1, nullptr, 0, nullptr, nullptr);
    std::string utf8(size_t(n > 0 ? n - 1 : 0), '\0');
    if (n > 1)
        WideCharToMultiByte(CP_UTF8, 0, value, -1, utf8.data(), n, nullptr, nullptr);
    return utf8;
}

} // namespace

std::string Platform::userDataDir()
{
    return wideEnvironment(L"APPDATA");
}

std::string Platform::userCacheDir()
{
    return wideEnvironment(L"LOCALAPPDATA");
}

std::string Platform::hostName()
{
    char name[MAX_COMPUTERNAME_LENGTH + 1] = {};
    DWORD size = sizeof name;
    if (!GetComputerNameA(name, &size) || !name[0])
        return "localhost";
    return name;
}

bool Platform::isTerminal(Stream stream)
{
    return _isatty(_fileno(stream == Stream::Output ? stdout : stderr)) != 0;
}

std::tm Platform::localTime(std::time_t time)
{
    std::tm local{};
    localtime_s(&local, &time);
    return local;
}

std::tm Platform::utcTime(std::time_t time)
{
    std::tm utc{};
    gmtime_s(&utc, &time);
    return utc;
}

bool Platform::linkFile(const std::string&, const std::string&)
{
    // A reader of either name (the runs panel opening best.ckpt, say) would make replacing the
    // other fail: names of one file share its open handles' sharing mode.
    return false;
}

bool Platform::replaceFile(const std::string& source, const std::string& target, std::string* error)
{
    // A reader holding the target open (another program listing runs, say) refuses the
    // replace for a moment: try again briefly before giving up.
    for (int attempt = 0; attempt < 40; ++attempt) {
        if (MoveFileExW(widen(source).c_str(), widen(target).c_str(),
                        MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
            return true;
        const DWORD code = GetLastError();
        if (code != ERROR_SHARING_VIOLATION && code != ERROR_ACCESS_DENIED &&
            code != ERROR_LOCK_VIOLATION)
            break;
        Sleep(5);
        SetLastError(code);
    }
    if (error)
        *error = lastErrorText();
    return false;
}

void Platform::reportFileSizeLimitAsError()
{
    // Windows has no file-size signal: a write past a quota already fails.
}

bool Platform::fileStamp(const std::string& path, int64_t* size, int64_t* modified)
{
    WIN32_FILE_ATTRIBUTE_DATA data;
    if (!GetFileAttributesExW(widen(path).c_str(), GetFileExInfoStandard, &data))
        return false;
    *size = (int64_t(data.nFileSizeHigh) << 32) | int64_t(data.nFileSizeLow);
    *modified = (int64_t(data.ftLastWriteTime.dwHighDateTime) << 32) |
                int64_t(data.ftLastWriteTime.dwLowDateTime);
    return true;
}

std::FILE* Platform::createExclusive(const std::string& path, std::string* error)
{
    // CREATE_NEW fails on any existing name, a link included; FILE_FLAG_OPEN_REPARSE_POINT is
    // not needed because nothing is opened that exists.
    HANDLE handle = CreateFileW(widen(path).c_str(), GENERIC_WRITE, FILE_SHARE_READ, nullptr,
                                CREATE_NEW, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (handle == INVALID_HANDLE_VALUE) {
        if (error)
            *error = lastErrorText();
        return nullptr;
    }
    const int fd = _open_osfhandle(reinterpret_cast<intptr_t>(handle), _O_WRONLY | _O_BINARY);
    if (fd < 0) {
        CloseHandle(handle);
        DeleteFileW(widen(path).c_str()); // created above: nothing may be left behind
        if (error)
            *error = "cannot open the file";
        return nullptr;
    }
    std::FILE* file = _fdopen(fd, "wb");
    if (!file) {
        _close(fd);
        DeleteFileW(widen(path).c_str());
        if (error)
            *error = "cannot open the file";
    }
    return file;
}

void* Platform::findSymbol(const char* name)
{
    // GetProcAddress looks in one module: ask every module of the process.
    HMODULE modules[1024];
    DWORD bytes = 0;
    if (!EnumProcessModules(GetCurrentProcess(), modules, sizeof modules, &bytes))
        return nullptr;
    const size_t count = std::min<size_t>(bytes / sizeof(HMODULE), 1024);
    for (size_t i = 0; i < count; ++i)
        if (FARPROC address = GetProcAddress(modules[i], name))
            return reinterpret_cast<void*>(address);
    return nullptr;
}

void Platform::setEnvironment(const char* name, const char* value)
{
    _putenv_s(name, value);
}

std::string Platform::executablePath()
{
    std::wstring path(32768, L'\0');
    const DWORD n = GetModuleFileNameW(nullptr, path.data(), DWORD(path.size()));
    if (n == 0 || n >= path.size())
        return {};
    path.resize(n);
    const int bytes = WideCharToMultiByte(CP_UTF8, 0, path.data(), int(path.size()), nullptr, 0,
                                          nullptr, nullptr);
    std::string utf8(size_t(bytes), '\0');
    WideCharToMultiByte(CP_UTF8, 0, path.data(), int(path.size()), utf8.data(), bytes, nullptr,
                        nullptr);
    return utf8;
}

namespace {

/// One argument quoted for CommandLineToArgvW (what the C runtime of the child parses).
std::wstring quoteArgument(const std::wstring& argument)
{
    if (!argument.empty() && argument.find_first_of(L" \t\n\v\"") == std::wstring::npos)
        return argument;
    std::wstring quoted = L"\"";
    for (size_t i = 0;; ++i) {
        size_t backslashes = 0;
        while (i < argument.size() && argument[i] == L'\\') {
            ++i;
            ++backslashes;
        }
        if (i == argument.size()) {
            quoted.append(backslashes * 2, L'\\');
            break;
        }
        if (argument[i] == L'"')
            quoted.append(backslashes * 2 + 1, L'\\');
        else
            quoted.append(backslashes, L'\\');
        quoted.push_back(argument[i]);
    }
    quoted.push_back(L'"');
    return quoted;
}

} // namespace

int64_t Platform::startProcess(const std::string& program,
                               const std::vector<std::string>& arguments, std::string* error)
{
    std::wstring line = quoteArgument(widen(program));
    for (const auto& a : arguments)
        line += L" " + quoteArgument(widen(a));
    STARTUPINFOW startup{};
    startup.cb = sizeof startup;
    PROCESS_INFORMATION info{};
    if (!CreateProcessW(widen(program).c_str(), line.data(), nullptr, nullptr, TRUE, 0, nullptr,
                        nullptr, &startup, &info)) {
        if (error)
            *error = program + ": cannot start it (error " + std::to_string(GetLastError()) + ")";
        return -1;
    }
    CloseHandle(info.hThread);
    return int64_t(reinterpret_cast<intptr_t>(info.hProcess));
}

bool Platform::pollProcess(int64_t handle, int* exitCode)
{
    HANDLE process = reinterpret_cast<HANDLE>(intptr_t(handle));
    const DWORD state = WaitForSingleObject(process, 0);
    if (state == WAIT_TIMEOUT)
        return false;
    DWORD code = 1; // also when the handle cannot be waited on: report it ended, never hang
    if (state != WAIT_OBJECT_0 || !GetExitCodeProcess(process, &code))
        code = 1;
    CloseHandle(process);
    if (exitCode)
        *exitCode = int(code);
    return true;
}

void Platform::endProcess(int64_t handle, bool force)
{
    (void)force; // Windows has no polite signal for a console process of another group
    TerminateProcess(reinterpret_cast<HANDLE>(intptr_t(handle)), 1);
}

void Platform::restartSelf(char** argv, char** environment)
{
    (void)argv; // settings are read at library load; Windows has no exec: carry on
    (void)environment;
}

} // namespace trainbench
