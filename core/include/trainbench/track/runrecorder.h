#pragma once

#include "trainbench/track/runrecord.h"
#include "trainbench/track/runstore.h"
#include "trainbench/train/trainingobserver.h"

#include <functional>
#include <string>

namespace trainbench {

/// Keeps a run's record in its folder while it trains: run.json (status running) when it
/// starts, the checkpoints and then run.json and metrics.csv rewritten atomically after every
/// epoch, the final status when it ends. A run killed mid-way therefore keeps its finished epochs
/// and lists as interrupted. A write that fails mid-run (disk full) calls onWarning once; training
/// goes on, and later epochs try to write the record again.
class RunRecorder : public TrainingObserver
{
public:
    /// Creates the run's folder in `store` and writes its first record; throws Error naming
    /// the runs folder when it cannot be written.
    RunRecorder(const RunStore& store, const TrainingConfig& config, const std::string& name,
                const std::string& sweep = {});

    /// Takes up run `id` of `store` again to resume it (from its last.ckpt): its record keeps
    /// the checkpoint's epochs and says running again. Throws Error when the run is missing,
    /// damaged, still running, or has no checkpoint to resume from.
    static RunRecorder resume(const RunStore& store, const std::string& id);
    /// The epochs a resumed run still has to train to reach its config's count (at least 1).
    int remainingEpochs() const;
    /// The checkpoint a resumed run starts from.
    std::string lastCheckpoint() const { return folder() + "/last.ckpt"; }

    const std::string& id() const { return m_record.id; }
    /// The run's folder.
    std::string folder() const { return m_store.folder(m_record.id); }
    /// The record as written last.
    const RunRecord& record() const { return m_record; }
    /// Told once when a record write fails (later epochs try again).
    std::function<void(const std::string&)> onWarning;
    /// Writes the trained model to a path (the trainer's saveCheckpoint); when set, each epoch
    /// leaves last.ckpt in the run folder, and best.ckpt when it is the best so far, before the
    /// record says the epoch is done. Called on the training thread. It must replace the file
    /// whole, never rewrite it in place (the trainer's does): best.ckpt may share its file.
    std::function<void(const std::string&)> saveCheckpoint;

    /// Gives the run a name of its own (shown in lists; the id stays).
    void rename(const std::string& name);
    /// Records a run that will never start (a cancelled sweep's rest): status cancelled.
    void cancel();

    void onStarted(const RunInfo& info) override;
    void onEpochEnd(const EpochMetrics& metrics) override;
    void onFinished(bool stopped) override;
    void onFailed(const std::string& message) override;

    /// The current UTC time as "2026-11-26T08:30:00Z".
    static std::string now();

private:
    explicit RunRecorder(const RunStore& store);
    void save();
    void end(RunStatus status);

    RunStore m_store;
    RunRecord m_record;
    bool m_warned = false; ///< A record write failed and onWarning was told.
    bool m_checkpointsBroken = false;
};

} // namespace trainbench
