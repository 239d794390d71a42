#include "plan/gemini_planner.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "plan/gemini_answer.h"
#include "plan/gemini_request.h"

namespace enhancer {
namespace {

constexpr int kMaxCount = 10;
constexpr double kMaxTemperature = 2.0;

void Add(TokenUsage& sum, const TokenUsage& more) {
  sum.prompt += more.prompt;
  sum.candidates += more.candidates;
  sum.thoughts += more.thoughts;
  sum.total += more.total;
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
  ENHANCER_RETURN_IF_ERROR(ValidateGeminiApiKey(api_key));
  ENHANCER_RETURN_IF_ERROR(ValidateGeminiModelName(StripModelsPrefix(model)));
  if (temperature && !(*temperature >= 0.0 && *temperature <= kMaxTemperature)) {
    return InvalidArgumentError("Gemini temperature must be between 0 and 2");
  }
  return RetryPolicy().Validate();
}

GeminiRetryPolicy GeminiPlannerOptions::RetryPolicy() const {
  GeminiRetryPolicy policy;
  policy.timeout = timeout;
  policy.max_attempts = max_attempts;
  policy.base_delay = base_delay;
  policy.max_delay = max_delay;
  policy.deadline = deadline;
  policy.clock = clock;
  policy.sleep = sleep;
  return policy;
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
      options_(std::move(options)),
      model_(StripModelsPrefix(options_.model)),
      call_(http, GeminiEndpoint(options_.base_url, options_.api_key), model_,
            options_.RetryPolicy()) {}

Result<Plan> GeminiPlanner::MakePlan(const PlanRequest& request, std::stop_token stop) {
  if (stop.stop_requested()) return CancelledError("planning was stopped");
  ENHANCER_RETURN_IF_ERROR(ValidateRequest(request));
  const TimePoint deadline = call_.Deadline();

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
  Result<std::string> answer = call_.Generate(body, deadline, stop);
  if (!answer) return answer.error();
  return ReadGeminiAnswer(*answer, count);
}

}  // namespace enhancer
