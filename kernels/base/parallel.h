// parallel.h — independent jobs on a few CPU threads (the experiment runner's transfers, the
// shards of a training batch, prediction batches), with results that do not depend on the
// thread count: jobs are numbered, each writes only its own output slot, and the caller reads
// the slots in job order afterwards.
#pragma once

#include <cstddef>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

namespace nasflat {

// Runs job(j, w) for every j in [0, jobs) on min(threads, jobs) workers; w in [0, workers) is the
// worker running it, so a worker can own state (a model) across its jobs. Jobs start in
// increasing order. When jobs throw, the workers stop taking new ones and the error of the
// lowest-numbered failed job is rethrown: with one thread, the error a plain loop would raise.
void run_jobs(size_t jobs, int threads, const std::function<void(size_t job, size_t worker)>& job);

// The text of numbered jobs, written to `out` in job order, each as soon as every earlier job's
// is written: the same output for any thread count. done() may be called from any thread.
class OrderedOutput {
public:
    OrderedOutput(std::ostream& out, size_t jobs) : out_(out), text_(jobs), done_(jobs) {}
    void done(size_t job, std::string text);

private:
    std::ostream& out_;
    std::mutex mutex_;
    std::vector<std::string> text_;
    std::vector<bool> done_;
    size_t next_ = 0;
};

// Workers run_jobs would use for `threads` (0: every core) and `jobs`.
size_t job_workers(size_t jobs, int threads);

}  // namespace nasflat
