#include "trainbench/track/runstore.h"

#include "common/atomicfile.h"
#include "trainbench/common/error.h"
#include "trainbench/platform/platform.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace trainbench {

namespace fs = std::filesystem;

namespace {

const char* const kRecordFile = "run.json";
const char* const kMetricsFile = "metrics.csv";
const std::uintmax_t kMaxRecordBytes = 8 * 1024 * 1024; // a real run.json is a few kB

/// A name usable as a folder on every system: no separators, reserved or control characters.
std::string safeName(const std::string& name)
{
    std::string safe;
    for (unsigned char c : name)
        safe += (c < 32 || std::string("/\\:*?\"<>|").find(char(c)) != std::string::npos) ? '_'
                                                                                          : char(c);
    while (!safe.empty() && (safe.back() == '.' || safe.back() == ' '))
        safe.pop_back();
    while (!safe.empty() && (safe.front() == '.' || safe.front() == ' '))
        safe.erase(safe.begin());
    return safe.empty() ? "run" : safe.substr(0, 120);
}

} // namespace

RunStore::RunStore(std::string root) : m_root(std::move(root))
{
    while (m_root.size() > 1 && (m_root.back() == '/' || m_root.back() == '\\'))
        m_root.pop_back();
}

std::string RunStore::defaultRoot()
{
    if (const char* dir = std::getenv("TRAINBENCH_RUNS_DIR"); dir && *dir)
        return dir;
    return (fs::path(Platform::userDataDir()) / "Trainbench" / "runs").string();
}

std::string RunStore::folder(const std::string& id) const
{
    return (fs::path(m_root) / id).string();
}

std::string RunStore::createRun(const std::string& name) const
{
    std::error_code error;
    fs::create_directories(m_root, error);
    if (!fs::is_directory(m_root, error))
        throw Error("runs folder '" + m_root + "' cannot be created" +
                    (error ? ": " + error.message() : std::string()));
    const std::string base = safeName(name);
    for (int n = 1; n < 10000; ++n) {
        const std::string id = n == 1 ? base : base + "-" + std::to_string(n);
        // create_directory is atomic: false (no error) when another program got there first.
        if (fs::create_directory(fs::path(m_root) / id, error))
            return id;
        if (error)
            throw Error("runs folder '" + m_root + "' is not writable: " + error.message());
    }
    throw Error("runs folder '" + m_root + "': too many runs named '" + base + "'");
}

void RunStore::write(const RunRecord& record) const
{
    const fs::path dir = fs::path(m_root) / record.id;
    AtomicFile::write((dir / kRecordFile).string(), record.toJson());
    AtomicFile::write((dir / kMetricsFile).string(), record.metricsCsv());
}

RunListing RunStore::readFolder(const std::string& id) const
{
    RunListing listing;
    listing.id = id;
    listing.folder = folder(id);
    const fs::path path = fs::path(listing.folder) / kRecordFile;
    try {
        std::error_code error;
        const auto size = fs::file_size(path, error);
        if (error)
            throw Error(path.string() + ": cannot read: " + error.message());
        if (size > kMaxRecordBytes)
            throw Error(path.string() + ": too large for a run record");
        std::ifstream in(path, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        if (!in)
            throw Error(path.string() + ": cannot read");
        listing.record = RunRecord::fromJson(text.str(), path.string());
        if (listing.record.id != id)
            listing.record.id = id; // a copied or renamed folder: the folder is the truth
        if (listing.record.status == RunStatus::Running &&
            listing.record.host == Platform::hostName() &&
            !Platform::processAlive(listing.record.processId))
            listing.record.status = RunStatus::Interrupted;
    } catch (const Error& e) {
        listing.damaged = true;
        listing.problem = e.what();
    }
    return listing;
}

std::vector<RunListing> RunStore::list() const
{
    std::vector<RunListing> runs;
    std::error_code error;
    for (fs::directory_iterator it(m_root, error), end; !error && it != end; it.increment(error)) {
        std::error_code entryError;
        if (!it->is_directory(entryError) || !fs::exists(it->path() / kRecordFile, entryError))
            continue;
        runs.push_back(readFolder(it->path().filename().string()));
    }
    std::sort(runs.begin(), runs.end(), [](const RunListing& a, const RunListing& b) {
        return std::tie(a.record.created, a.id) < std::tie(b.record.created, b.id);
    });
    return runs;
}

RunListing RunStore::read(const std::string& id) const
{
    std::error_code error;
    if (id.empty() || id.find_first_of("/\\") != std::string::npos ||
        !fs::exists(fs::path(folder(id)) / kRecordFile, error))
        throw Error("no run '" + id + "' in " + m_root);
    return readFolder(id);
}

} // namespace trainbench
