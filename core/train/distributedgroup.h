#pragma once

#include "trainbench/train/distributedoptions.h"

#include <torch/types.h>

#include <memory>
#include <string>
#include <vector>

namespace trainbench {

/// The processes of one data-parallel run, joined through c10d (internal to core): a TCPStore
/// for the rendezvous and a Gloo (CPU) or NCCL (CUDA) process group for the collectives. Every
/// failure becomes an Error that says what happened in the run's terms — which rank stopped,
/// which port is taken, which address cannot be reached — never a hang: every wait is bounded
/// by the options' timeout.
class DistributedGroup
{
public:
    /// Joins the run described by `options`, waiting for all ranks; throws Error.
    DistributedGroup(const DistributedOptions& options, torch::Device device);
    ~DistributedGroup();
    DistributedGroup(const DistributedGroup&) = delete;
    DistributedGroup& operator=(const DistributedGroup&) = delete;

    /// This process's rank.
    int rank() const;
    /// Processes in the run.
    int size() const;
    /// "gloo" or "nccl".
    std::string backend() const;

    /// Starts summing `tensor` across ranks, in place; returns a ticket for wait(). Every rank
    /// must start the same collectives in the same order.
    size_t startSum(torch::Tensor tensor);
    /// Waits for the collective `ticket`; throws Error when a rank failed or timed out.
    void wait(size_t ticket);
    /// Sums `tensor` across ranks, in place.
    void sum(torch::Tensor tensor);
    /// Sums each value across ranks.
    std::vector<double> sum(const std::vector<double>& values);
    /// Copies rank `root`'s `tensor` to every rank.
    void broadcast(torch::Tensor tensor, int root = 0);
    /// Throws Error unless every rank passes the same `value` (e.g. a weights digest); `what`
    /// names it in the message, `consequence` says what a difference means.
    void checkSame(const std::string& what, const std::string& value,
                   const std::string& consequence = "the ranks drifted apart");
    /// Waits, as long as it takes, until every rank has reached `stage` (e.g. "loading the
    /// data"); throws Error when a rank stops showing signs of life for the timeout.
    void waitForAll(const std::string& stage);
    /// Leaves the run in step with the others (no rank tears down the store while another still
    /// uses it). Call once, after the last collective.
    void finish();

private:
    class Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace trainbench
