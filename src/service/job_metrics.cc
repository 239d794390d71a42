#include "service/job_metrics.h"

namespace enhancer {
namespace {

constexpr char kStage[] = "enhancer_stage_duration_seconds";
constexpr char kStageHelp[] = "Time spent in each stage of a job.";

}  // namespace

JobMetrics::JobMetrics(Metrics& m)
    : received(m.GetCounter("enhancer_messages_received_total", "Queue messages received.")),
      deleted(m.GetCounter("enhancer_messages_deleted_total",
                           "Queue messages acknowledged: done, or failed for good.")),
      retried(m.GetCounter("enhancer_messages_retried_total",
                           "Queue messages released to be tried again after a transient failure.")),
      products_ok(m.GetCounter("enhancer_products_processed_total", "Products finished by the worker.",
                               "outcome=\"pending_review\"")),
      products_failed(m.GetCounter("enhancer_products_processed_total", "Products finished by the worker.",
                                   "outcome=\"failed\"")),
      in_flight(m.GetGauge("enhancer_jobs_in_flight", "Messages being worked on now.")),
      bytes_uploaded(m.GetCounter("enhancer_uploaded_bytes_total", "Bytes of images and thumbnails stored.")),
      prompt_tokens(m.GetCounter("enhancer_planner_tokens_total", "Tokens used by a remote planner.",
                                 "kind=\"prompt\"")),
      output_tokens(m.GetCounter("enhancer_planner_tokens_total", "Tokens used by a remote planner.",
                                 "kind=\"output\"")),
      download(m.GetHistogram(kStage, kStageHelp, "stage=\"download\"")),
      decode(m.GetHistogram(kStage, kStageHelp, "stage=\"decode\"")),
      plan(m.GetHistogram(kStage, kStageHelp, "stage=\"plan\"")),
      render(m.GetHistogram(kStage, kStageHelp, "stage=\"render\"")),
      upload(m.GetHistogram(kStage, kStageHelp, "stage=\"upload\"")),
      database(m.GetHistogram(kStage, kStageHelp, "stage=\"database\"")) {}

}  // namespace enhancer
