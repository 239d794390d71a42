#include "plan/gemini_planner.h"

#include <gtest/gtest.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "plan/gemini_stand_in.h"
#include "plan/gemini_test_support.h"
#include "plan/rule_planner.h"

namespace enhancer {
namespace {

using gemini_test::GeminiReply;
using gemini_test::GeminiStandIn;
using gemini_test::kTestApiKey;
using gemini_test::StandInRequest;
using std::chrono::milliseconds;

bool Contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

class GeminiPlannerTest : public ::testing::Test {
 protected:
  GeminiPlannerTest()
      : stand_in_(kTestApiKey),
        http_(MakeCurlHttpClient()),
        preview_(gemini_test::ProductPreview()) {}

  // Every test: the key never reached a log line or a URL, and the stand-in found nothing wrong
  // with a request.
  void TearDown() override {
    EXPECT_FALSE(Contains(log_.text(), kTestApiKey)) << log_.text();
    for (const StandInRequest& r : stand_in_.requests()) {
      EXPECT_FALSE(Contains(r.path, kTestApiKey)) << r.path;
      EXPECT_FALSE(Contains(r.query, kTestApiKey)) << r.query;
      EXPECT_EQ(r.problem, "") << r.path;
    }
  }

  GeminiPlannerOptions Options() {
    GeminiPlannerOptions options;
    options.base_url = stand_in_.url();
    options.api_key = kTestApiKey;
    options.model = "gemini-2.5-flash";
    options.clock = &clock_;
    // Waits take no real time: they are recorded and move the fake clock.
    options.sleep = [this](milliseconds delay, std::stop_token stop) {
      std::lock_guard lock(sleeps_mu_);
      sleeps_.push_back(delay);
      clock_.Advance(delay);
      return !stop.stop_requested();
    };
    return options;
  }

  PlanRequest Request(int count = 3) {
    return PlanRequest{&preview_, "Ceramic mug", "kitchen", count};
  }

  // Plans with `options`; any error message is checked for the key.
  Result<Plan> Run(GeminiPlannerOptions options, PlanRequest request, std::stop_token stop = {}) {
    Result<std::unique_ptr<GeminiPlanner>> planner = GeminiPlanner::Create(*http_, options);
    if (!planner) return planner.error();
    Result<Plan> plan = (*planner)->MakePlan(request, stop);
    if (!plan) {
      EXPECT_FALSE(Contains(plan.error().message(), kTestApiKey)) << plan.error().message();
    }
    return plan;
  }
  Result<Plan> Run(int count = 3) { return Run(Options(), Request(count)); }

  std::vector<milliseconds> sleeps() {
    std::lock_guard lock(sleeps_mu_);
    return sleeps_;
  }

  gemini_test::LogCapture log_;
  GeminiStandIn stand_in_;
  std::unique_ptr<HttpClient> http_;
  FakeClock clock_;
  Preview preview_;
  std::mutex sleeps_mu_;
  std::vector<milliseconds> sleeps_;  // guarded by sleeps_mu_
};

TEST_F(GeminiPlannerTest, PlansFromGeminisAnswer) {
  Result<Plan> plan = Run();
  ASSERT_TRUE(plan.has_value()) << plan.error().ToString();
  ASSERT_EQ(plan->recipes.size(), 3u);
  EXPECT_EQ(plan->recipes[0].name, "faithful");
  EXPECT_EQ(plan->recipes[1].name, "bright-airy");
  EXPECT_EQ(plan->recipes[2].name, "crisp");
  EXPECT_DOUBLE_EQ(plan->recipes[2].gamma, 1.1);
  EXPECT_EQ(plan->planner, "gemini:gemini-2.5-flash");
  EXPECT_EQ(plan->note, "");
  EXPECT_EQ(plan->model_version, "gemini-2.5-flash");
  EXPECT_EQ(plan->tokens.prompt, gemini_test::kStandInPromptTokens);
  EXPECT_EQ(plan->tokens.candidates, gemini_test::kStandInCandidatesTokens);
  EXPECT_EQ(plan->tokens.thoughts, gemini_test::kStandInThoughtsTokens);
  EXPECT_EQ(plan->tokens.total, gemini_test::kStandInTotalTokens);
  EXPECT_TRUE(sleeps().empty());

  const std::vector<StandInRequest> requests = stand_in_.requests();
  ASSERT_EQ(requests.size(), 1u);
  const StandInRequest& r = requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/v1beta/models/gemini-2.5-flash:generateContent");
  EXPECT_EQ(r.query, "");
  EXPECT_EQ(r.api_key_header, kTestApiKey);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.count, 3);
  EXPECT_TRUE(Contains(r.prompt, "\"Ceramic mug\"")) << r.prompt;
  EXPECT_TRUE(Contains(r.prompt, "\"kitchen\"")) << r.prompt;
  EXPECT_TRUE(Contains(r.prompt, "exactly 3")) << r.prompt;
  EXPECT_FALSE(Contains(r.body, "temperature"));
  // The model's version is logged once per plan, at info level.
  EXPECT_TRUE(Contains(log_.text(),
                       "[info] Gemini plan: 3 recipes from model gemini-2.5-flash (configured "
                       "gemini-2.5-flash)"))
      << log_.text();
}

TEST_F(GeminiPlannerTest, AsksForExactlyTheCount) {
  for (int count : {1, 5, 10}) {
    Result<Plan> plan = Run(count);
    ASSERT_TRUE(plan.has_value()) << count << ": " << plan.error().ToString();
    EXPECT_EQ(static_cast<int>(plan->recipes.size()), count);
    EXPECT_EQ(stand_in_.requests().back().count, count);
  }
  EXPECT_EQ(stand_in_.generate_requests(), 3);
}

TEST_F(GeminiPlannerTest, SendsTheTemperatureWhenSet) {
  GeminiPlannerOptions options = Options();
  options.temperature = 0.4;
  ASSERT_TRUE(Run(options, Request()).has_value());
  const nlohmann::json body = nlohmann::json::parse(stand_in_.requests().at(0).body);
  EXPECT_DOUBLE_EQ(body["generationConfig"]["temperature"].get<double>(), 0.4);
}

TEST_F(GeminiPlannerTest, AcceptsAnAliasAndTheModelsPrefix) {
  stand_in_.SetModelVersion("gemini-3-flash-preview");
  GeminiPlannerOptions options = Options();
  options.model = "models/gemini-flash-latest";
  Result<Plan> plan = Run(options, Request());
  ASSERT_TRUE(plan.has_value()) << plan.error().ToString();
  EXPECT_EQ(plan->planner, "gemini:gemini-flash-latest");
  EXPECT_EQ(plan->model_version, "gemini-3-flash-preview");
  EXPECT_EQ(stand_in_.requests().at(0).path, "/v1beta/models/gemini-flash-latest:generateContent");
}

TEST_F(GeminiPlannerTest, ReadsFencedJson) {
  stand_in_.Script({GeminiReply::kFencedJson});
  Result<Plan> plan = Run();
  ASSERT_TRUE(plan.has_value()) << plan.error().ToString();
  EXPECT_EQ(plan->recipes.size(), 3u);
  EXPECT_EQ(plan->planner, "gemini:gemini-2.5-flash");
  EXPECT_EQ(stand_in_.generate_requests(), 1);
}

TEST_F(GeminiPlannerTest, ClampsTheNumbersAndDedupesTheNames) {
  stand_in_.Script({GeminiReply::kMessyRecipes});
  Result<Plan> plan = Run();
  ASSERT_TRUE(plan.has_value()) << plan.error().ToString();
  ASSERT_EQ(plan->recipes.size(), 3u);
  EXPECT_EQ(plan->recipes[0].name, "warm-look");
  EXPECT_EQ(plan->recipes[1].name, "warm-look-2");
  EXPECT_EQ(plan->recipes[2].name, "warm-look-3");
  for (const Recipe& r : plan->recipes) {
    const Recipe again = Clamp(r);
    EXPECT_EQ(ToJson(again), ToJson(r)) << "not within bounds: " << ToJson(r);
    EXPECT_DOUBLE_EQ(r.gamma, RecipeBounds::kGammaMax);
    EXPECT_EQ(r.prompt, "Line one. Line two.");
  }
  EXPECT_EQ(stand_in_.generate_requests(), 1);
}

TEST_F(GeminiPlannerTest, AsksAgainOnceAfterABadAnswer) {
  stand_in_.Script({GeminiReply::kWrongCount, GeminiReply::kRecipes});
  Result<Plan> plan = Run();
  ASSERT_TRUE(plan.has_value()) << plan.error().ToString();
  EXPECT_EQ(plan->planner, "gemini:gemini-2.5-flash");
  EXPECT_EQ(plan->note, "Gemini's first answer did not fit (4 recipes instead of 3); asked again");
  EXPECT_EQ(plan->recipes.size(), 3u);
  EXPECT_EQ(plan->tokens.total, 2 * gemini_test::kStandInTotalTokens);
  const std::vector<StandInRequest> requests = stand_in_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_FALSE(Contains(requests[0].prompt, "previous answer"));
  EXPECT_TRUE(Contains(requests[1].prompt,
                       "Your previous answer could not be used (4 recipes instead of 3)"))
      << requests[1].prompt;
  EXPECT_TRUE(sleeps().empty());
}

struct BadAnswerCase {
  GeminiReply reply;
  std::string problem;
  int64_t tokens_per_answer;
};

void PrintTo(const BadAnswerCase& c, std::ostream* os) { *os << c.problem; }

class GeminiFallbackTest : public GeminiPlannerTest,
                           public ::testing::WithParamInterface<BadAnswerCase> {};

TEST_P(GeminiFallbackTest, FallsBackToTheLocalPlannerAfterTwoBadAnswers) {
  const BadAnswerCase& c = GetParam();
  stand_in_.Script({c.reply, c.reply, GeminiReply::kRecipes});
  Result<Plan> plan = Run();
  ASSERT_TRUE(plan.has_value()) << plan.error().ToString();

  Result<Plan> local = RulePlanner().MakePlan(Request(), {});
  ASSERT_TRUE(local.has_value());
  EXPECT_EQ(plan->planner, "local (gemini fallback)");
  EXPECT_EQ(plan->note, "Gemini's answer did not fit (" + c.problem + "); local planner used" +
                            (local->note.empty() ? "" : "; " + local->note));
  ASSERT_EQ(plan->recipes.size(), local->recipes.size());
  for (size_t i = 0; i < plan->recipes.size(); ++i) {
    EXPECT_EQ(ToJson(plan->recipes[i]), ToJson(local->recipes[i]));
  }
  EXPECT_EQ(plan->tokens.prompt, 2 * gemini_test::kStandInPromptTokens);
  EXPECT_EQ(plan->tokens.total, 2 * c.tokens_per_answer);
  EXPECT_EQ(plan->model_version, "gemini-2.5-flash");
  EXPECT_EQ(stand_in_.generate_requests(), 2);
  EXPECT_TRUE(sleeps().empty());
  EXPECT_TRUE(Contains(log_.text(), "[warning] Gemini's answer did not fit (" + c.problem +
                                        "); using the local planner"))
      << log_.text();
}

std::string BadAnswerName(const ::testing::TestParamInfo<BadAnswerCase>& info) {
  static const char* const kNames[] = {"WrongCount", "NotJson", "MaxTokens", "SafetyBlock"};
  return kNames[info.index];
}

INSTANTIATE_TEST_SUITE_P(
    BadAnswers, GeminiFallbackTest,
    ::testing::Values(BadAnswerCase{GeminiReply::kWrongCount, "4 recipes instead of 3",
                                    gemini_test::kStandInTotalTokens},
                      BadAnswerCase{GeminiReply::kNotJson, "the answer is not JSON",
                                    gemini_test::kStandInTotalTokens},
                      BadAnswerCase{GeminiReply::kMaxTokens, "finishReason MAX_TOKENS",
                                    gemini_test::kStandInTotalTokens},
                      BadAnswerCase{GeminiReply::kSafetyBlock, "the request was blocked: SAFETY",
                                    gemini_test::kStandInPromptTokens}),
    BadAnswerName);

TEST_F(GeminiPlannerTest, TheFallbackNoteNamesBothProblemsWhenTheyDiffer) {
  stand_in_.Script({GeminiReply::kNotJson, GeminiReply::kMaxTokens});
  Result<Plan> plan = Run();
  ASSERT_TRUE(plan.has_value()) << plan.error().ToString();
  EXPECT_TRUE(Contains(plan->note,
                       "Gemini's answer did not fit (the answer is not JSON; then finishReason "
                       "MAX_TOKENS); local planner used"))
      << plan->note;
}

TEST_F(GeminiPlannerTest, WaitsTheDelayGeminiAsksForAfterA429) {
  stand_in_.SetRetryDelay("17s");
  stand_in_.Script({GeminiReply::kRateLimited, GeminiReply::kRecipes});
  Result<Plan> plan = Run();
  ASSERT_TRUE(plan.has_value()) << plan.error().ToString();
  EXPECT_EQ(plan->planner, "gemini:gemini-2.5-flash");
  EXPECT_EQ(stand_in_.generate_requests(), 2);
  EXPECT_EQ(sleeps(), std::vector<milliseconds>{milliseconds(17000)});
  // Only the answer that arrived counts tokens.
  EXPECT_EQ(plan->tokens.total, gemini_test::kStandInTotalTokens);
}

TEST_F(GeminiPlannerTest, RetriesServerErrorsWithJitteredExponentialBackoff) {
  stand_in_.Script({GeminiReply::kUnavailable, GeminiReply::kServerError,
                    GeminiReply::kGatewayTimeout, GeminiReply::kRecipes});
  GeminiPlannerOptions options = Options();
  options.base_delay = milliseconds(400);
  options.max_delay = milliseconds(1000);
  Result<Plan> plan = Run(options, Request());
  ASSERT_TRUE(plan.has_value()) << plan.error().ToString();
  EXPECT_EQ(plan->planner, "gemini:gemini-2.5-flash");
  EXPECT_EQ(stand_in_.generate_requests(), 4);
  const std::vector<milliseconds> waits = sleeps();
  ASSERT_EQ(waits.size(), 3u);
  // Full jitter: uniform in [0, min(max_delay, base * 2^(n-1))].
  EXPECT_LE(waits[0], milliseconds(400));
  EXPECT_LE(waits[1], milliseconds(800));
  EXPECT_LE(waits[2], milliseconds(1000));
}

TEST_F(GeminiPlannerTest, GivesUpAsUnavailableAfterMaxAttempts) {
  stand_in_.Script(std::vector<GeminiReply>(10, GeminiReply::kUnavailable));
  Result<Plan> plan = Run();
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(Contains(plan.error().message(), "no answer after 4 attempts"))
      << plan.error().message();
  EXPECT_TRUE(Contains(plan.error().message(), "HTTP 503 UNAVAILABLE")) << plan.error().message();
  EXPECT_EQ(stand_in_.generate_requests(), 4);
  EXPECT_EQ(sleeps().size(), 3u);
}

TEST_F(GeminiPlannerTest, ADailyQuotaIsNotRetried) {
  stand_in_.Script({GeminiReply::kDailyQuota, GeminiReply::kRecipes});
  Result<Plan> plan = Run();
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(Contains(plan.error().message(), "daily Gemini quota is used up"))
      << plan.error().message();
  EXPECT_EQ(stand_in_.generate_requests(), 1);
  EXPECT_TRUE(sleeps().empty());
}

TEST_F(GeminiPlannerTest, ALongerRetryDelayThanMaxDelayEndsTheCall) {
  stand_in_.SetRetryDelay("120s");
  stand_in_.Script({GeminiReply::kRateLimited, GeminiReply::kRecipes});
  Result<Plan> plan = Run();
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(Contains(plan.error().message(), "asks to wait 120.0 s")) << plan.error().message();
  EXPECT_EQ(stand_in_.generate_requests(), 1);
  EXPECT_TRUE(sleeps().empty());
}

TEST_F(GeminiPlannerTest, StopsAtTheDeadline) {
  stand_in_.SetRetryDelay("2s");
  stand_in_.Script(std::vector<GeminiReply>(10, GeminiReply::kRateLimited));
  GeminiPlannerOptions options = Options();
  options.max_attempts = 10;
  options.deadline = milliseconds(5000);
  Result<Plan> plan = Run(options, Request());
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(Contains(plan.error().message(), "deadline")) << plan.error().message();
  // 0 s: ask; wait 2 s; ask; wait 2 s (4 s); ask; a third wait would leave under 1 s.
  EXPECT_EQ(stand_in_.generate_requests(), 3);
  EXPECT_EQ(sleeps().size(), 2u);
}

TEST_F(GeminiPlannerTest, UnknownModelIsNotFound) {
  GeminiPlannerOptions options = Options();
  options.model = "gemini-1.5-flash";
  Result<Plan> plan = Run(options, Request());
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().code(), StatusCode::kNotFound);
  EXPECT_TRUE(Contains(plan.error().message(), "models/gemini-1.5-flash is not found"))
      << plan.error().message();
  EXPECT_EQ(stand_in_.generate_requests(), 1);
  EXPECT_TRUE(sleeps().empty());
}

TEST_F(GeminiPlannerTest, A404FromTheScriptIsNotFoundToo) {
  stand_in_.Script({GeminiReply::kModelNotFound});
  Result<Plan> plan = Run();
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().code(), StatusCode::kNotFound);
  EXPECT_EQ(stand_in_.generate_requests(), 1);
}

TEST_F(GeminiPlannerTest, AWrongKeyIsAFailedPreconditionThatNeverQuotesTheKey) {
  GeminiStandIn other("AIzaTheOtherKey-999");  // refuses kTestApiKey and quotes it back
  GeminiPlannerOptions options = Options();
  options.base_url = other.url();
  Result<Plan> plan = Run(options, Request());
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Contains(plan.error().message(), "API key not valid")) << plan.error().message();
  ASSERT_EQ(other.requests().size(), 1u);
  EXPECT_EQ(other.requests()[0].problem, "a wrong API key");
  EXPECT_EQ(other.requests()[0].query, "");
}

TEST_F(GeminiPlannerTest, AMessageQuotingTheKeyIsRedacted) {
  stand_in_.Script({GeminiReply::kEchoKeyError});
  Result<Plan> plan = Run();
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(plan.error().message(), "Request with key [redacted] was malformed"))
      << plan.error().message();
}

TEST_F(GeminiPlannerTest, RetriesWhenTheServiceCannotBeReached) {
  std::string url;
  {
    GeminiStandIn gone(kTestApiKey);
    url = gone.url();
  }
  GeminiPlannerOptions options = Options();
  options.base_url = url;
  options.max_attempts = 2;
  Result<Plan> plan = Run(options, Request());
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(Contains(plan.error().message(), "no answer after 2 attempts"))
      << plan.error().message();
  EXPECT_EQ(sleeps().size(), 1u);
}

TEST_F(GeminiPlannerTest, AStopBeforeTheCallSendsNothing) {
  std::stop_source source;
  source.request_stop();
  Result<Plan> plan = Run(Options(), Request(), source.get_token());
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().code(), StatusCode::kCancelled);
  EXPECT_EQ(stand_in_.generate_requests(), 0);
}

TEST_F(GeminiPlannerTest, AStopDuringABackoffEndsTheCall) {
  stand_in_.Script({GeminiReply::kUnavailable, GeminiReply::kRecipes});
  std::stop_source source;
  GeminiPlannerOptions options = Options();
  options.sleep = [&source](milliseconds, std::stop_token stop) {
    source.request_stop();  // as a shutdown arriving during the wait
    return !stop.stop_requested();
  };
  Result<Plan> plan = Run(options, Request(), source.get_token());
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().code(), StatusCode::kCancelled);
  EXPECT_EQ(stand_in_.generate_requests(), 1);
}

TEST_F(GeminiPlannerTest, RefusesABadRequestWithoutCallingGemini) {
  Preview no_jpeg = preview_;
  no_jpeg.jpeg.clear();
  Preview wrong_size = preview_;
  wrong_size.rgb.resize(10);
  const PlanRequest requests[] = {
      {nullptr, "mug", "kitchen", 3},     {&preview_, "mug", "kitchen", 0},
      {&preview_, "mug", "kitchen", 11},  {&no_jpeg, "mug", "kitchen", 3},
      {&wrong_size, "mug", "kitchen", 3},
  };
  for (const PlanRequest& request : requests) {
    Result<Plan> plan = Run(Options(), request);
    ASSERT_FALSE(plan.has_value());
    EXPECT_EQ(plan.error().code(), StatusCode::kInvalidArgument) << plan.error().ToString();
  }
  EXPECT_EQ(stand_in_.generate_requests(), 0);
}

TEST_F(GeminiPlannerTest, ValidatesItsOptions) {
  struct Case {
    const char* what;
    std::function<void(GeminiPlannerOptions&)> change;
  };
  const Case cases[] = {
      {"empty key", [](GeminiPlannerOptions& o) { o.api_key.clear(); }},
      {"key with a line break", [](GeminiPlannerOptions& o) { o.api_key += "\r\nX-Evil: 1"; }},
      {"relative base URL", [](GeminiPlannerOptions& o) { o.base_url = "generativelanguage"; }},
      {"base URL with a query", [](GeminiPlannerOptions& o) { o.base_url += "/?key=1"; }},
      {"model with a slash", [](GeminiPlannerOptions& o) { o.model = "gemini/../x"; }},
      {"model with a space", [](GeminiPlannerOptions& o) { o.model = "gemini flash"; }},
      {"empty model", [](GeminiPlannerOptions& o) { o.model = "models/"; }},
      {"zero attempts", [](GeminiPlannerOptions& o) { o.max_attempts = 0; }},
      {"eleven attempts", [](GeminiPlannerOptions& o) { o.max_attempts = 11; }},
      {"temperature 3", [](GeminiPlannerOptions& o) { o.temperature = 3.0; }},
      {"zero timeout", [](GeminiPlannerOptions& o) { o.timeout = milliseconds(0); }},
      {"base above max delay", [](GeminiPlannerOptions& o) { o.base_delay = milliseconds(60000); }},
      {"short deadline", [](GeminiPlannerOptions& o) { o.deadline = milliseconds(10); }},
      {"no clock", [](GeminiPlannerOptions& o) { o.clock = nullptr; }},
  };
  for (const Case& c : cases) {
    GeminiPlannerOptions options = Options();
    c.change(options);
    Status status = options.Validate();
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << c.what;
    EXPECT_FALSE(Contains(status.message(), kTestApiKey)) << status.message();
    EXPECT_FALSE(GeminiPlanner::Create(*http_, options).has_value()) << c.what;
  }
  EXPECT_TRUE(Options().Validate().ok());
  EXPECT_EQ(GeminiPlanner::Create(std::unique_ptr<HttpClient>(), Options()).error().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(GeminiPlannerTest, OwnsAClientWhenGivenOne) {
  Result<std::unique_ptr<GeminiPlanner>> planner =
      GeminiPlanner::Create(MakeCurlHttpClient(), Options());
  ASSERT_TRUE(planner.has_value()) << planner.error().ToString();
  Result<Plan> plan = (*planner)->MakePlan(Request(), {});
  ASSERT_TRUE(plan.has_value()) << plan.error().ToString();
  EXPECT_EQ(plan->recipes.size(), 3u);
}

TEST_F(GeminiPlannerTest, ServesConcurrentPlans) {
  Result<std::unique_ptr<GeminiPlanner>> planner = GeminiPlanner::Create(*http_, Options());
  ASSERT_TRUE(planner.has_value());
  std::vector<Result<Plan>> plans(4, Result<Plan>(InternalError("not run")));
  std::vector<std::thread> threads;
  for (size_t i = 0; i < plans.size(); ++i) {
    threads.emplace_back([&, i] { plans[i] = (*planner)->MakePlan(Request(), {}); });
  }
  for (std::thread& t : threads) t.join();
  for (const Result<Plan>& plan : plans) {
    ASSERT_TRUE(plan.has_value()) << plan.error().ToString();
    EXPECT_EQ(plan->recipes.size(), 3u);
  }
  EXPECT_EQ(stand_in_.generate_requests(), 4);
}

// Every path that can fail, in one log: the key is in none of the lines or messages.
TEST_F(GeminiPlannerTest, TheKeyAppearsInNoMessageOrLogLine) {
  stand_in_.SetRetryDelay("1s");
  stand_in_.Script({GeminiReply::kRateLimited, GeminiReply::kServerError, GeminiReply::kNotJson,
                    GeminiReply::kSafetyBlock, GeminiReply::kEchoKeyError, GeminiReply::kDailyQuota,
                    GeminiReply::kModelNotFound});
  std::vector<std::string> messages;
  for (int i = 0; i < 5; ++i) {
    Result<Plan> plan = Run();
    messages.push_back(plan ? plan->note : plan.error().ToString());
  }
  for (const std::string& m : messages) EXPECT_FALSE(Contains(m, kTestApiKey)) << m;
  const std::string log = log_.text();
  EXPECT_FALSE(log.empty());
  EXPECT_FALSE(Contains(log, kTestApiKey)) << log;
  EXPECT_FALSE(Contains(log, "AIzaStandIn")) << log;
  EXPECT_EQ(stand_in_.generate_requests(), 8);  // 4 (two retries, a fallback), 1, 1, 1, 1
}

}  // namespace
}  // namespace enhancer
