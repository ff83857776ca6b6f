#include "trainbench/track/runrecorder.h"

#include "common/atomicfile.h"
#include "trainbench/common/buildinfo.h"
#include "trainbench/common/error.h"
#include "trainbench/model/modelpresets.h"
#include "trainbench/platform/platform.h"
#include "trainbench/train/checkpointinfo.h"

#include <algorithm>
#include <ctime>
#include <filesystem>

namespace trainbench {

RunRecorder::RunRecorder(const RunStore& store, const TrainingConfig& config,
                         const std::string& name, const std::string& sweep)
    : m_store(store)
{
    m_record.id = m_store.createRun(name);
    m_record.name = m_record.id;
    m_record.created = now();
    m_record.config = config;
    m_record.sweep = sweep;
    m_record.programVersion = BuildInfo::version();
    m_record.torchVersion = BuildInfo::torchVersion();
    m_record.processId = Platform::processId();
    m_record.host = Platform::hostName();
    m_store.write(m_record); // refuses the run now if the folder cannot take files
}

RunRecorder::RunRecorder(const RunStore& store) : m_store(store) {}

RunRecorder RunRecorder::resume(const RunStore& store, const std::string& id)
{
    const RunListing run = store.read(id);
    if (run.damaged)
        throw Error("cannot resume run '" + id + "': " + run.problem);
    if (run.record.status == RunStatus::Running)
        throw Error("run '" + id + "' is still running (process " +
                    std::to_string(run.record.processId) + " on " + run.record.host + ")");
    RunRecorder recorder(store);
    recorder.m_record = run.record;
    std::error_code error;
    if (!std::filesystem::exists(std::filesystem::u8path(recorder.lastCheckpoint()), error))
        throw Error("cannot resume run '" + id + "': it has no checkpoint (" +
                    recorder.lastCheckpoint() + ")");
    // The checkpoint's epochs are the truth: the record lags them by one when the run was
    // killed between writing its checkpoint and its record.
    recorder.m_record.history = CheckpointInfo::read(recorder.lastCheckpoint()).history;
    recorder.m_record.status = RunStatus::Running;
    recorder.m_record.ended.clear();
    recorder.m_record.error.clear();
    recorder.m_record.processId = Platform::processId();
    recorder.m_record.host = Platform::hostName();
    recorder.m_store.write(recorder.m_record);
    return recorder;
}

int RunRecorder::remainingEpochs() const
{
    return std::max(1, m_record.config.epochs - int(m_record.history.size()));
}

std::string RunRecorder::now()
{
    const std::tm utc = Platform::utcTime(std::time(nullptr));
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

void RunRecorder::save()
{
    try {
        m_store.write(m_record);
    } catch (const Error& e) {
        // Told once; later epochs try again (a full disk may have room by then).
        if (!m_warned && onWarning)
            onWarning(std::string("run record not written: ") + e.what());
        m_warned = true;
    }
}

void RunRecorder::rename(const std::string& name)
{
    m_record.name = name.empty() ? m_record.id : name;
    save();
}

void RunRecorder::cancel()
{
    end(RunStatus::Cancelled);
}

void RunRecorder::onStarted(const RunInfo& info)
{
    m_record.dataset = info.dataset;
    m_record.modelSummary =
        LayerSpec::describe(m_record.config.layers.empty()
                                ? ModelPresets::layers(m_record.config.modelName, info.classes)
                                : m_record.config.layers);
    m_record.parameters = info.parameters;
    m_record.device = info.device;
    m_record.threads = info.threads;
    m_record.status = RunStatus::Running;
    save();
}

void RunRecorder::onEpochEnd(const EpochMetrics& metrics)
{
    m_record.history.push_back(metrics);
    if (saveCheckpoint && !m_checkpointsBroken) {
        try {
            saveCheckpoint(lastCheckpoint());
            // The best epoch's model is the one just written: a second name for that file,
            // not serialised or copied again (last.ckpt is only ever replaced whole).
            if (m_record.bestEpoch() == metrics.epoch)
                AtomicFile::link(lastCheckpoint(), folder() + "/best.ckpt");
        } catch (const Error& e) {
            m_checkpointsBroken = true; // the run goes on; its metrics are still recorded
            if (onWarning)
                onWarning(std::string("run checkpoints no longer written: ") + e.what());
        }
    }
    save();
}

void RunRecorder::end(RunStatus status)
{
    m_record.status = status;
    m_record.ended = now();
    save();
}

void RunRecorder::onFinished(bool stopped)
{
    end(stopped ? RunStatus::Stopped : RunStatus::Finished);
}

void RunRecorder::onFailed(const std::string& message)
{
    m_record.error = message;
    end(RunStatus::Failed);
}

} // namespace trainbench
