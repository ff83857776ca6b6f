#include "trainingworker.h"

#include "trainbench/infer/predictor.h"
#include "trainbench/train/trainer.h"

namespace trainbench::ui {

void TrainingWorker::run(std::shared_ptr<Trainer> trainer)
{
    const bool ok = trainer->run(); // failures arrive through onFailed()
    // The model is copied here, on the training thread, once run() has returned: the UI
    // thread never reaches into a trainer while it runs. A failed run's weights (a NaN loss,
    // say) are no model to draw with.
    std::shared_ptr<Predictor> model;
    try {
        if (ok && !trainer->history().empty())
            model = trainer->predictor();
    } catch (const std::exception&) {
        model.reset(); // no drawing model; the run's results stand
    }
    Q_EMIT done(model);
}

} // namespace trainbench::ui
