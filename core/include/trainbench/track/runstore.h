#pragma once

#include "trainbench/track/runrecord.h"

#include <string>
#include <vector>

namespace trainbench {

/// One entry of a runs folder: a readable record, or the reason it is damaged.
struct RunListing
{
    std::string id;     ///< The folder's name.
    std::string folder; ///< Its path.
    bool damaged = false;
    std::string problem; ///< Why it is damaged (names the file).
    RunRecord record;    ///< Valid unless damaged.
};

/// A runs folder: one sub-folder per run, each with run.json, metrics.csv, checkpoints and
/// TensorBoard event files. The folder is the list: nothing else keeps state.
class RunStore
{
public:
    /// A store over `root` (created when a run is).
    explicit RunStore(std::string root);

    /// $TRAINBENCH_RUNS_DIR, else the default of the window and the CLI: <user
    /// data>/Trainbench/runs.
    static std::string defaultRoot();
    const std::string& root() const { return m_root; }
    /// The folder of run `id`.
    std::string folder(const std::string& id) const;

    /// Creates a new run folder named `name` (made safe for file names; -2, -3, ... appended
    /// when taken) and returns its id. Folder creation is atomic, so two programs writing into
    /// one root never share a folder. Throws Error naming the root when it cannot be written.
    std::string createRun(const std::string& name) const;
    /// Writes run.json and metrics.csv of `record` atomically; throws Error naming the file.
    void write(const RunRecord& record) const;
    /// Every run folder (those with a run.json), oldest first; damaged ones included, and a run
    /// marked running whose process is gone reads as interrupted.
    std::vector<RunListing> list() const;
    /// The run `id`; throws Error when there is no such run.
    RunListing read(const std::string& id) const;

private:
    RunListing readFolder(const std::string& id) const;

    std::string m_root;
};

} // namespace trainbench
