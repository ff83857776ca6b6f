#include "trainingworker.h"

#include "trainbench/trainer.h"

namespace trainbench::ui {

void TrainingWorker::run(std::shared_ptr<Trainer> trainer)
{
    trainer->run(); // failures arrive through onFailed()
    Q_EMIT done();
}

} // namespace trainbench::ui
