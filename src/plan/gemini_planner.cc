#include "plan/gemini_planner.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <utility>

#include "plan/gemini_answer.h"
#include "plan/gemini_error.h"
#include "plan/gemini_request.h"

namespace enhancer {
namespace {

using std::chrono::milliseconds;

constexpr int kMaxCount = 10;
constexpr int kMaxAttempts = 10;
constexpr double kMaxTemperature = 2.0;
// Less than this left before the deadline is not worth another exchange.
constexpr milliseconds kMinExchange{1000};
constexpr const char* kGenerate = "Gemini generateContent";

bool SleepUnlessStopped(milliseconds delay, std::stop_token stop) {
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  // Nothing notifies cv: the wait ends at the deadline or, through the stop token, at once.
  cv.wait_for(lock, stop, delay, [] { return false; });
  return !stop.stop_requested();
}

void Add(TokenUsage& sum, const TokenUsage& more) {
  sum.prompt += more.prompt;
  sum.candidates += more.candidates;
  sum.thoughts += more.thoughts;
  sum.total += more.total;
}

std::string Seconds(milliseconds d) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", d.count() / 1000.0);
  return text;
}

Status ValidateRequest(const PlanRequest& request) {
  if (request.preview == nullptr) return InvalidArgumentError("plan request has no preview");
  const Preview& preview = *request.preview;
  if (preview.width <= 0 || preview.height <= 0 ||
      preview.rgb.size() != static_cast<size_t>(preview.width) * preview.height * 3) {
    return InvalidArgumentError("preview pixels do not match its size " +
                                std::to_string(preview.width) + "x" +
                                std::to_string(preview.height));
  }
  if (preview.jpeg.empty()) return InvalidArgumentError("preview has no JPEG to send to Gemini");
  if (request.count < 1 || request.count > kMaxCount) {
    return InvalidArgumentError("count must be between 1 and " + std::to_string(kMaxCount) +
                                ", got " + std::to_string(request.count));
  }
  return OkStatus();
}

}  // namespace

Status GeminiPlannerOptions::Validate() const {
  ENHANCER_RETURN_IF_ERROR(ValidateGeminiBaseUrl(base_url));
  if (api_key.empty()) return InvalidArgumentError("the Gemini API key is empty");
  for (char c : api_key) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) {
      return InvalidArgumentError("the Gemini API key holds a space or control character");
    }
  }
  ENHANCER_RETURN_IF_ERROR(ValidateGeminiModelName(StripModelsPrefix(model)));
  if (timeout <= milliseconds::zero()) {
    return InvalidArgumentError("Gemini timeout must be positive");
  }
  if (max_attempts < 1 || max_attempts > kMaxAttempts) {
    return InvalidArgumentError("Gemini max_attempts must be between 1 and " +
                                std::to_string(kMaxAttempts) + ", got " +
                                std::to_string(max_attempts));
  }
  if (temperature && !(*temperature >= 0.0 && *temperature <= kMaxTemperature)) {
    return InvalidArgumentError("Gemini temperature must be between 0 and 2");
  }
  if (base_delay <= milliseconds::zero() || max_delay < base_delay) {
    return InvalidArgumentError("Gemini retry delays must satisfy 0 < base_delay <= max_delay");
  }
  if (deadline < kMinExchange) {
    return InvalidArgumentError("Gemini deadline must be at least " + Seconds(kMinExchange));
  }
  if (clock == nullptr) return InvalidArgumentError("Gemini planner needs a clock");
  return OkStatus();
}

Result<std::unique_ptr<GeminiPlanner>> GeminiPlanner::Create(HttpClient& http,
                                                             GeminiPlannerOptions options) {
  ENHANCER_RETURN_IF_ERROR(options.Validate());
  return std::unique_ptr<GeminiPlanner>(new GeminiPlanner(http, nullptr, std::move(options)));
}

Result<std::unique_ptr<GeminiPlanner>> GeminiPlanner::Create(std::unique_ptr<HttpClient> http,
                                                             GeminiPlannerOptions options) {
  if (http == nullptr) return InvalidArgumentError("Gemini planner needs an HTTP client");
  ENHANCER_RETURN_IF_ERROR(options.Validate());
  HttpClient& client = *http;
  return std::unique_ptr<GeminiPlanner>(
      new GeminiPlanner(client, std::move(http), std::move(options)));
}

GeminiPlanner::GeminiPlanner(HttpClient& http, std::unique_ptr<HttpClient> owned_http,
                             GeminiPlannerOptions options)
    : owned_http_(std::move(owned_http)),
      http_(http),
      options_(std::move(options)),
      model_(StripModelsPrefix(options_.model)),
      endpoint_(options_.base_url, options_.api_key),
      random_(std::random_device{}()) {}

Result<Plan> GeminiPlanner::MakePlan(const PlanRequest& request, std::stop_token stop) {
  if (stop.stop_requested()) return CancelledError("planning was stopped");
  ENHANCER_RETURN_IF_ERROR(ValidateRequest(request));
  const TimePoint deadline = options_.clock->Now() + options_.deadline;

  TokenUsage tokens;
  std::string model_version;
  std::vector<std::string> problems;
  // A bad answer (cut off, blocked, the wrong shape) is asked for once more, told what was wrong.
  for (int ask = 1; ask <= 2; ++ask) {
    GeminiRequest question;
    question.jpeg = request.preview->jpeg;
    question.product_name = request.product_name;
    question.category = request.category;
    question.count = request.count;
    question.temperature = options_.temperature;
    if (!problems.empty()) question.previous_problem = problems.back();
    Result<GeminiAnswer> answer = Ask(GeminiRequestBody(question), request.count, deadline, stop);
    if (!answer) return answer.error();
    Add(tokens, answer->tokens);
    if (!answer->model_version.empty()) model_version = answer->model_version;
    if (answer->problem.empty()) {
      Plan plan;
      plan.recipes = std::move(answer->recipes);
      plan.planner = "gemini:" + model_;
      if (!problems.empty()) {
        plan.note = "Gemini's first answer did not fit (" + problems.front() + "); asked again";
      }
      plan.tokens = tokens;
      plan.model_version = model_version;
      spdlog::info(
          "Gemini plan: {} recipes from model {} (configured {}), tokens: {} prompt, "
          "{} answer, {} thinking, {} total",
          plan.recipes.size(), model_version.empty() ? "unnamed" : model_version, model_,
          tokens.prompt, tokens.candidates, tokens.thoughts, tokens.total);
      return plan;
    }
    spdlog::warn("Gemini's answer did not fit ({}); {}", answer->problem,
                 ask == 1 ? "asking again" : "using the local planner");
    problems.push_back(answer->problem);
  }

  Result<Plan> local = local_.MakePlan(request, stop);
  if (!local) return local.error();
  Plan plan = *std::move(local);
  std::string why = problems.front();
  if (problems.back() != problems.front()) why += "; then " + problems.back();
  const std::string local_note = plan.note;
  plan.note = "Gemini's answer did not fit (" + why + "); local planner used";
  if (!local_note.empty()) plan.note += "; " + local_note;
  plan.planner = "local (gemini fallback)";
  plan.tokens = tokens;
  plan.model_version = model_version;
  spdlog::info(
      "Gemini plan: model {} (configured {}) gave no usable answer; local planner "
      "used, tokens: {} prompt, {} answer, {} thinking, {} total",
      model_version.empty() ? "unnamed" : model_version, model_, tokens.prompt, tokens.candidates,
      tokens.thoughts, tokens.total);
  return plan;
}

Result<GeminiAnswer> GeminiPlanner::Ask(const std::string& body, int count, TimePoint deadline,
                                        std::stop_token stop) {
  const Clock& clock = *options_.clock;
  const std::string path = "models/" + model_ + ":generateContent";
  std::string last_failure;
  for (int attempt = 1;; ++attempt) {
    if (stop.stop_requested()) return CancelledError("planning was stopped");
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - clock.Now());
    if (left < kMinExchange) {
      return UnavailableError(std::string(kGenerate) + ": no answer before the " +
                              Seconds(options_.deadline) + " deadline" +
                              (last_failure.empty() ? "" : "; last: " + last_failure));
    }
    Result<HttpResponse> response =
        http_.Send(endpoint_.Post(path, body, std::min(options_.timeout, left)), stop);

    std::optional<milliseconds> asked_delay;
    if (!response) {
      const Status& error = response.error();
      if (error.code() != StatusCode::kUnavailable &&
          error.code() != StatusCode::kDeadlineExceeded) {
        return Redacted(error.WithContext(kGenerate));
      }
      last_failure = Redacted(error).ToString();
    } else if (response->status >= 200 && response->status < 300) {
      return ReadGeminiAnswer(response->body, count);
    } else {
      const GeminiError error =
          ParseGeminiError(response->status, response->body, options_.api_key);
      if (!error.Retryable()) return GeminiErrorStatus(error, kGenerate);
      if (error.retry_delay && *error.retry_delay > options_.max_delay) {
        // Holding a worker this long helps no one: the queue's own retry will come back later.
        return ResourceExhaustedError(std::string(kGenerate) + ": Gemini asks to wait " +
                                      Seconds(*error.retry_delay) + " (" + error.Describe() + ")");
      }
      asked_delay = error.retry_delay;
      last_failure = error.Describe();
    }

    if (attempt >= options_.max_attempts) {
      return UnavailableError(std::string(kGenerate) + ": no answer after " +
                              std::to_string(attempt) + " attempts; last: " + last_failure);
    }
    const milliseconds delay = asked_delay ? *asked_delay : JitteredDelay(attempt);
    if (clock.Now() + delay + kMinExchange > deadline) {
      return UnavailableError(std::string(kGenerate) + ": no time left before the " +
                              Seconds(options_.deadline) +
                              " deadline to retry; last: " + last_failure);
    }
    spdlog::warn("{}: {}; retry {} of {} in {}", kGenerate, last_failure, attempt,
                 options_.max_attempts - 1, Seconds(delay));
    const bool slept =
        options_.sleep ? options_.sleep(delay, stop) : SleepUnlessStopped(delay, stop);
    if (!slept) return CancelledError("planning was stopped");
  }
}

milliseconds GeminiPlanner::JitteredDelay(int retry) {
  const int shift = std::min(retry - 1, 20);
  const milliseconds ceiling =
      std::min(options_.max_delay, options_.base_delay * (int64_t{1} << shift));
  std::lock_guard lock(random_mu_);
  std::uniform_int_distribution<int64_t> pick(0, ceiling.count());
  return milliseconds(pick(random_));
}

Status GeminiPlanner::Redacted(const Status& status) const {
  Status redacted(status.code(), RedactSecret(status.message(), options_.api_key));
  return status.field().empty() ? redacted : redacted.WithField(status.field());
}

}  // namespace enhancer
