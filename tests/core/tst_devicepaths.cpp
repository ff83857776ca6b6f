// Which layers take core's CPU fast paths on which device (bench/gpu/devicepathcheck.h): on the
// CPU all of them must, which proves the check sees them; on CUDA, where a GPU is present, none
// may, and every result must match libtorch's own ops there. No GPU here: bench/gpu/run.sh runs
// the same check on one (trainbench-cudacheck).
#include "devicepathcheck.h"

#include <torch/cuda.h>

#include <QtTest/QtTest>

using namespace trainbench;

namespace {

QString joined(const std::vector<std::string>& lines)
{
    QStringList out;
    for (const auto& line : lines)
        out << QString::fromStdString(line);
    return out.join(QStringLiteral("; "));
}

} // namespace

class TestDevicePaths : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cpuTakesEveryFastPath()
    {
        const auto report = DevicePathCheck::run(torch::kCPU);
        QVERIFY2(report.mismatches.empty(), qPrintable(joined(report.mismatches)));
        const std::vector<std::string> expected{"trainbench::batch_norm",
                                                "trainbench::batch_norm_backward",
                                                "trainbench::dense",
                                                "trainbench::dense_backward",
                                                "trainbench::direct_conv",
                                                "trainbench::dropout",
                                                "trainbench::max_pool",
                                                "trainbench::max_pool_backward",
                                                "trainbench::softmax_cross_entropy"};
        QCOMPARE(joined(report.fastPaths), joined(expected));
        QCOMPARE(report.lines.size(), size_t(23));
    }

    void cudaTakesNone()
    {
        if (!torch::cuda::is_available())
            QSKIP("no CUDA device here (bench/gpu/run.sh checks on a GPU machine)");
        const auto report = DevicePathCheck::run(torch::Device(torch::kCUDA, 0));
        QVERIFY2(report.fastPaths.empty(), qPrintable(joined(report.fastPaths)));
        QVERIFY2(report.mismatches.empty(), qPrintable(joined(report.mismatches)));
    }
};

QTEST_GUILESS_MAIN(TestDevicePaths)
#include "tst_devicepaths.moc"
