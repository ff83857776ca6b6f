#include "trainingworker.h"

#include "trainbench/infer/predictor.h"
#include "trainbench/train/trainer.h"

namespace trainbench::ui {

void TrainingWorker::run(std::shared_ptr<Trainer> trainer)
{
    trainer->run(); // failures arrive through onFailed()
    // The model is copied here, on the training thread, once run() has returned: the UI
    // thread never reaches into a trainer while it runs.
    std::shared_ptr<Predictor> model;
    try {
        if (!trainer->history().empty())
            model = trainer->predictor();
    } catch (const std::exception&) {
        model.reset(); // no drawing model; the run's results stand
    }
    Q_EMIT done(model);
}

} // namespace trainbench::ui
