#include "queue/sqs_test_queues.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "aws/aws_client.h"
#include "aws/sigv4_signer.h"
#include "aws/uri_encode.h"
#include "peers/moto_process.h"
#include "peers/peer_process.h"

extern char** environ;

namespace enhancer {
namespace {

using json = nlohmann::json;

constexpr std::chrono::milliseconds kTimeout{30000};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The text of the first <tag>...</tag> in `xml`, or "".
std::string XmlText(const std::string& xml, const std::string& tag) {
  size_t start = xml.find("<" + tag + ">");
  if (start == std::string::npos) return "";
  start += tag.size() + 2;
  size_t end = xml.find("</" + tag + ">", start);
  return end == std::string::npos ? "" : xml.substr(start, end - start);
}

}  // namespace

SqsTestQueues::SqsTestQueues(std::string endpoint, AwsCredentials credentials)
    : http_(MakeCurlHttpClient()),
      credentials_(std::move(credentials)),
      client_(*http_, credentials_, std::move(endpoint), kSqsTestRegion, AwsRetryPolicy{},
              Clock::Real()) {}

Result<std::string> SqsTestQueues::Create(const std::string& name,
                                          const std::map<std::string, std::string>& attributes) {
  json request = {{"QueueName", name}};
  if (!attributes.empty()) request["Attributes"] = attributes;
  Result<std::string> answer =
      client_.Call("CreateQueue", name, request.dump(), kTimeout, std::stop_token());
  if (!answer) return answer.error();
  json doc = json::parse(*answer, nullptr, false);
  if (!doc.is_object() || !doc.contains("QueueUrl")) {
    return InternalError("CreateQueue answered " + *answer);
  }
  return doc["QueueUrl"].get<std::string>();
}

Result<std::string> SqsTestQueues::Arn(const std::string& queue_url) {
  json request = {{"QueueUrl", queue_url}, {"AttributeNames", {"QueueArn"}}};
  Result<std::string> answer =
      client_.Call("GetQueueAttributes", queue_url, request.dump(), kTimeout, std::stop_token());
  if (!answer) return answer.error();
  json doc = json::parse(*answer, nullptr, false);
  if (!doc.is_object() || !doc.contains("Attributes") || !doc["Attributes"].contains("QueueArn")) {
    return InternalError("GetQueueAttributes answered " + *answer);
  }
  return doc["Attributes"]["QueueArn"].get<std::string>();
}

Result<std::string> SqsTestQueues::CreateWithDeadLetters(const std::string& name,
                                                         int max_receives) {
  Result<std::string> dlq = Create(name + "-dlq");
  if (!dlq) return dlq.error();
  Result<std::string> arn = Arn(*dlq);
  if (!arn) return arn.error();
  json policy = {{"deadLetterTargetArn", *arn}, {"maxReceiveCount", std::to_string(max_receives)}};
  return Create(name, {{"RedrivePolicy", policy.dump()}});
}

AwsCredentials TestCredentials(std::string access_key_id, std::string secret_access_key) {
  AwsCredentials credentials;
  credentials.access_key_id = std::move(access_key_id);
  credentials.secret_access_key = std::move(secret_access_key);
  credentials.source = "test";
  return credentials;
}

std::string UniqueTestQueueName() {
  static std::atomic<int> counter{0};
  std::string name;
  if (const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info()) {
    name = std::string(info->test_suite_name()) + "_" + info->name();
  }
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  if (name.size() > 60) name = name.substr(name.size() - 60);
  return name + "_" + std::to_string(++counter);
}

Result<AwsCredentials> CreateMotoIamUser(const std::string& endpoint) {
  std::unique_ptr<HttpClient> http = MakeCurlHttpClient();
  // moto does not check these three requests' signature; they must be signed all the same, or
  // moto cannot tell which service they are for.
  StaticCredentialsProvider bootstrap(TestCredentials("bootstrap", "bootstrap"));
  AwsClient iam(*http, bootstrap, SigV4Options::ForService("iam", kSqsTestRegion));
  auto call = [&](const std::string& params) -> Result<std::string> {
    HttpRequest request;
    request.method = "POST";
    request.url = endpoint + "/";
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
    request.body = params + "&Version=2010-05-08";
    Result<HttpResponse> response = iam.Send(request, std::stop_token());
    if (!response) return response.error();
    if (response->status != 200) {
      return FailedPreconditionError("IAM " + params.substr(0, params.find('&')) + ": HTTP " +
                                     std::to_string(response->status) + " " + response->body);
    }
    return response->body;
  };
  const std::string user = "enhancer-test";
  Result<std::string> created = call("Action=CreateUser&UserName=" + user);
  if (!created) return created.error();
  Result<std::string> key = call("Action=CreateAccessKey&UserName=" + user);
  if (!key) return key.error();
  const std::string policy =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})";
  Result<std::string> allowed = call("Action=PutUserPolicy&UserName=" + user +
                                     "&PolicyName=allow-all&PolicyDocument=" + UriEncode(policy));
  if (!allowed) return allowed.error();

  AwsCredentials credentials;
  credentials.access_key_id = XmlText(*key, "AccessKeyId");
  credentials.secret_access_key = XmlText(*key, "SecretAccessKey");
  credentials.source = "moto IAM user " + user;
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    return InternalError("IAM CreateAccessKey answered no key: " + *key);
  }
  return credentials;
}

Result<CommandOutput> RunAwsCli(const std::vector<std::string>& args, const std::string& endpoint,
                                const AwsCredentials& credentials) {
  Result<std::string> aws = peers::FindInPath("aws");
  if (!aws) {
    return FailedPreconditionError(aws.error().message() +
                                   ": these tests need the aws CLI, which the machine image "
                                   "provides (pip package awscli)");
  }
  peers::PeerTempDir dir("aws-cli");
  if (dir.path().empty()) return FailedPreconditionError("cannot make a temporary folder");
  const std::string out_path = dir.path() + "/out";
  const std::string err_path = dir.path() + "/err";

  std::vector<std::string> argv = {*aws};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--endpoint-url", endpoint, "--output", "json"});
  std::map<std::string, std::string> overrides = {
      {"AWS_ACCESS_KEY_ID", credentials.access_key_id},
      {"AWS_SECRET_ACCESS_KEY", credentials.secret_access_key},
      {"AWS_DEFAULT_REGION", kSqsTestRegion},
      {"AWS_REGION", kSqsTestRegion},
      // Nothing from the developer's own files: these paths do not exist.
      {"AWS_CONFIG_FILE", dir.path() + "/no-config"},
      {"AWS_SHARED_CREDENTIALS_FILE", dir.path() + "/no-credentials"},
      {"AWS_EC2_METADATA_DISABLED", "true"},
      {"AWS_PAGER", ""},
  };
  std::vector<std::string> environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string text(*entry);
    std::string name = text.substr(0, text.find('='));
    if (!overrides.contains(name) && name != "AWS_SESSION_TOKEN" && name != "AWS_PROFILE") {
      environment.push_back(text);
    }
  }
  for (const auto& [name, value] : overrides) environment.push_back(name + "=" + value);

  std::vector<char*> argp;
  for (std::string& a : argv) argp.push_back(a.data());
  argp.push_back(nullptr);
  std::vector<char*> envp;
  for (std::string& e : environment) envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  pid_t pid = 0;
  int spawned = posix_spawn(&pid, argp[0], &actions, nullptr, argp.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    return FailedPreconditionError("cannot run " + *aws + ": " + std::strerror(spawned));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  CommandOutput output;
  output.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  output.out = ReadFile(out_path);
  output.err = ReadFile(err_path);
  return output;
}

}  // namespace enhancer
