#include "trainbench/common/error.h"
#include "trainbench/data/batchplanner.h"

#include <QtTest>

#include <algorithm>
#include <numeric>

using namespace trainbench;

class TestBatchPlanner final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void visitsEverySampleOnce_data()
    {
        QTest::addColumn<qint64>("count");
        QTest::addColumn<qint64>("buffer");
        QTest::newRow("no shuffle") << qint64(1000) << qint64(0);
        QTest::newRow("buffer 1") << qint64(1000) << qint64(1);
        QTest::newRow("buffer 100") << qint64(5000) << qint64(100);
        QTest::newRow("tutorial buffer") << qint64(60000) << qint64(10000);
        QTest::newRow("buffer larger than data") << qint64(777) << qint64(10000);
        QTest::newRow("full") << qint64(5000) << qint64(-1);
    }

    void visitsEverySampleOnce()
    {
        QFETCH(qint64, count);
        QFETCH(qint64, buffer);
        BatchPlanner planner(count, 32, buffer, false, 7);
        for (int epoch = 0; epoch < 2; ++epoch) {
            auto order = planner.epochOrder(epoch);
            QCOMPARE(qint64(order.size()), count);
            std::sort(order.begin(), order.end());
            std::vector<int64_t> expected(static_cast<size_t>(count));
            std::iota(expected.begin(), expected.end(), 0);
            QCOMPARE(order, expected);
        }
    }

    void keepsOrderWithoutShuffle()
    {
        const auto order = BatchPlanner(100, 10, 0, false, 3).epochOrder(0);
        QVERIFY(std::is_sorted(order.begin(), order.end()));
    }

    void shuffleBufferLimitsHowFarASampleMoves()
    {
        // Sample i enters a buffer of N only after i - N samples have left it.
        const int64_t n = 100;
        const auto order = BatchPlanner(5000, 32, n, false, 1).epochOrder(0);
        for (size_t position = 0; position < order.size(); ++position)
            QVERIFY2(
                order[position] < int64_t(position) + n,
                qPrintable(QString("sample %1 at position %2").arg(order[position]).arg(position)));
        QVERIFY(!std::is_sorted(order.begin(), order.end()));
    }

    void dropsRemainder()
    {
        BatchPlanner keep(1000, 32, 100, false, 0);
        QCOMPARE(keep.batchesPerEpoch(), 32);
        QCOMPARE(keep.samplesPerEpoch(), 1000);
        BatchPlanner drop(1000, 32, 100, true, 0);
        QCOMPARE(drop.batchesPerEpoch(), 31);
        QCOMPARE(drop.samplesPerEpoch(), 992);
        QCOMPARE(drop.epochOrder(0).size(), size_t(992));
        QVERIFY_THROWS_EXCEPTION(Error, BatchPlanner(10, 32, 0, true, 0));
        QVERIFY_THROWS_EXCEPTION(Error, BatchPlanner(10, 0, 0, false, 0));
    }

    void isDeterministicBySeed()
    {
        const BatchPlanner a(3000, 32, 1000, false, 42);
        const BatchPlanner b(3000, 32, 1000, false, 42);
        const BatchPlanner c(3000, 32, 1000, false, 43);
        QCOMPARE(a.epochOrder(0), b.epochOrder(0));
        QCOMPARE(a.epochOrder(3), b.epochOrder(3));
        QVERIFY(a.epochOrder(0) != c.epochOrder(0));
        QVERIFY(a.epochOrder(0) != a.epochOrder(1)); // reshuffled every epoch
    }

    void shardsGiveEveryRankItsShareOfEachGlobalBatch_data()
    {
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("world");
        QTest::addColumn<bool>("dropRemainder");
        QTest::newRow("even") << 640 << 2 << false;
        QTest::newRow("uneven last batch") << 1001 << 3 << false;
        QTest::newRow("last batch smaller than the world") << 97 << 3 << false;
        QTest::newRow("remainder dropped") << 1001 << 4 << true;
    }

    void shardsGiveEveryRankItsShareOfEachGlobalBatch()
    {
        QFETCH(int, count);
        QFETCH(int, world);
        QFETCH(bool, dropRemainder);
        const int perRank = 32;
        trainbench::BatchPlanner planner(count, perRank * world, 1000, dropRemainder, 7);
        const auto order = planner.epochOrder(3);
        std::vector<std::vector<int64_t>> shards;
        for (int r = 0; r < world; ++r)
            shards.push_back(planner.shard(order, r, world));
        // Batch by batch, the ranks' shares put together are exactly that global batch.
        std::vector<size_t> taken(size_t(world), 0);
        for (int64_t b = 0; b < planner.batchesPerEpoch(); ++b) {
            std::vector<int64_t> together;
            int64_t shares = 0;
            for (int r = 0; r < world; ++r) {
                const int64_t n = planner.shareOf(b, r, world);
                QVERIFY(n <= perRank);
                QVERIFY(n >= planner.samplesInBatch(b) / world); // as even as can be
                auto& shard = shards[size_t(r)];
                together.insert(together.end(), shard.begin() + int64_t(taken[size_t(r)]),
                                shard.begin() + int64_t(taken[size_t(r)]) + n);
                taken[size_t(r)] += size_t(n);
                shares += n;
            }
            QCOMPARE(shares, planner.samplesInBatch(b));
            const std::vector<int64_t> expected(order.begin() + b * perRank * world,
                                                order.begin() + b * perRank * world + shares);
            QCOMPARE(together, expected);
        }
        // Every sample of the epoch once, across all ranks.
        std::vector<int64_t> all;
        for (int r = 0; r < world; ++r) {
            QCOMPARE(taken[size_t(r)], shards[size_t(r)].size());
            all.insert(all.end(), shards[size_t(r)].begin(), shards[size_t(r)].end());
        }
        std::sort(all.begin(), all.end());
        QCOMPARE(int64_t(all.size()), planner.samplesPerEpoch());
        QVERIFY(std::adjacent_find(all.begin(), all.end()) == all.end());
        QVERIFY_THROWS_EXCEPTION(trainbench::Error, planner.shard(order, world, world));
    }
};

QTEST_APPLESS_MAIN(TestBatchPlanner)
#include "tst_batchplanner.moc"
