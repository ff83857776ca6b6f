#include "trainbench/track/runrecorder.h"

#include "trainbench/common/buildinfo.h"
#include "trainbench/common/error.h"
#include "trainbench/platform/platform.h"

#include <ctime>

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

std::string RunRecorder::now()
{
    const std::tm utc = Platform::utcTime(std::time(nullptr));
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

void RunRecorder::save()
{
    if (m_broken)
        return;
    try {
        m_store.write(m_record);
    } catch (const Error& e) {
        m_broken = true;
        if (onWarning)
            onWarning(std::string("run record no longer written: ") + e.what());
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
            saveCheckpoint(folder() + "/last.ckpt");
            if (m_record.bestEpoch() == metrics.epoch)
                saveCheckpoint(folder() + "/best.ckpt");
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
