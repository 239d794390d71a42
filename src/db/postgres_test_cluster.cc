#include "db/postgres_test_cluster.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <pwd.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <pqxx/pqxx>
#include <random>
#include <sstream>
#include <system_error>

extern char** environ;

namespace enhancer {
namespace {

constexpr int kPortAttempts = 3;

// A port nothing listens on right now. Another process could take it before the server does;
// StartServer() then tries another.
Result<int> FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return InternalError("socket: " + std::generic_category().message(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    int err = errno;
    close(fd);
    return InternalError("finding a free port: " + std::generic_category().message(err));
  }
  close(fd);
  return static_cast<int>(ntohs(addr.sin_port));
}

std::string RandomPassword() {
  std::random_device random;
  std::ostringstream out;
  out << "pw";
  for (int i = 0; i < 4; ++i) out << std::hex << random();
  return out.str();
}

// initdb refuses to run as root; as root the cluster belongs to the postgres user.
bool RunningAsRoot() { return geteuid() == 0; }

Status GiveToPostgresUser(const std::filesystem::path& path) {
  if (!RunningAsRoot()) return OkStatus();
  passwd* user = getpwnam(PostgresTestCluster::kSuperuser);
  if (user == nullptr) {
    return FailedPreconditionError(
        "running as root, but there is no postgres user to run the server as: run "
        "scripts/install-deps (Debian's postgresql package creates it)");
  }
  if (chown(path.c_str(), user->pw_uid, user->pw_gid) != 0) {
    return InternalError("chown " + path.string() + ": " + std::generic_category().message(errno));
  }
  return OkStatus();
}

std::string QuoteIdentifier(const std::string& name) { return "\"" + name + "\""; }

// Runs one statement on the cluster's maintenance database, outside any transaction (CREATE
// DATABASE cannot run inside one).
Status AdminExec(const std::string& url, const std::string& sql) {
  try {
    pqxx::connection admin(url);
    pqxx::quiet_errorhandler quiet(admin);
    pqxx::nontransaction tx(admin);
    tx.exec(sql);
    return OkStatus();
  } catch (const std::exception& e) {
    return InternalError(sql + ": " + e.what());
  }
}

std::unique_ptr<PostgresTestCluster>& SharedCluster() {
  static std::unique_ptr<PostgresTestCluster> cluster;
  return cluster;
}

std::string& SharedError() {
  static std::string error = "the PostgreSQL test environment has not started yet";
  return error;
}

class PostgresTestEnvironment final : public ::testing::Environment {
 public:
  void SetUp() override {
    Result<std::unique_ptr<PostgresTestCluster>> started = PostgresTestCluster::Start();
    if (!started) {
      // Not FAIL() here: GoogleTest would then report every test as skipped. Each test fails on
      // its own instead, with this message.
      SharedError() = "could not start the PostgreSQL test cluster: " + started.error().ToString();
      std::fprintf(stderr, "%s\n", SharedError().c_str());
      return;
    }
    SharedCluster() = std::move(*started);
    SharedError().clear();
  }
  void TearDown() override { SharedCluster().reset(); }
};

[[maybe_unused]] ::testing::Environment* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new PostgresTestEnvironment);

}  // namespace

PostgresTestCluster* SharedPostgresCluster() { return SharedCluster().get(); }
const std::string& SharedPostgresClusterError() { return SharedError(); }

Result<std::unique_ptr<PostgresTestCluster>> PostgresTestCluster::Start() {
  std::unique_ptr<PostgresTestCluster> cluster(new PostgresTestCluster());
  const char* bin_override = getenv("ENHANCER_POSTGRES_BIN_DIR");
  cluster->bin_dir_ = bin_override != nullptr ? bin_override : kDefaultBinDir;
  const std::filesystem::path initdb = cluster->bin_dir_ / "initdb";
  if (access(initdb.c_str(), X_OK) != 0) {
    return FailedPreconditionError("the PostgreSQL 15 server is not installed (" + initdb.string() +
                                   " is missing): run scripts/install-deps, which installs "
                                   "Debian's postgresql package");
  }

  std::string pattern = (std::filesystem::temp_directory_path() / "enhancer-pg-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    return InternalError("mkdtemp: " + std::generic_category().message(errno));
  }
  cluster->dir_ = pattern;
  ENHANCER_RETURN_IF_ERROR(GiveToPostgresUser(cluster->dir_));

  cluster->password_ = RandomPassword();
  const std::filesystem::path pwfile = cluster->dir_ / "pwfile";
  {
    std::ofstream out(pwfile);
    out << cluster->password_ << "\n";
  }
  ENHANCER_RETURN_IF_ERROR(GiveToPostgresUser(pwfile));

  // Local (socket) logins are trusted, for the admin tools; TCP logins need the password.
  ENHANCER_RETURN_IF_ERROR(cluster->RunTool(
      "initdb", {"-D", (cluster->dir_ / "data").string(), "-U", kSuperuser, "--auth-local=trust",
                 "--auth-host=scram-sha-256", "--pwfile=" + pwfile.string(), "--no-sync", "-E",
                 "UTF8", "--locale=C.UTF-8"}));

  Status started;
  for (int attempt = 0; attempt < kPortAttempts; ++attempt) {
    Result<int> port = FreeLoopbackPort();
    if (!port) return port.error();
    cluster->port_ = *port;
    started = cluster->StartServer();
    if (started.ok()) break;
  }
  if (!started.ok()) return started;
  return cluster;
}

PostgresTestCluster::~PostgresTestCluster() {
  if (running_) {
    Status stopped = Stop();
    if (!stopped.ok())
      std::fprintf(stderr, "stopping the test cluster: %s\n", stopped.ToString().c_str());
  }
  std::error_code ignored;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
}

Status PostgresTestCluster::RunTool(const std::string& tool, const std::vector<std::string>& args) {
  std::vector<std::string> argv;
  if (RunningAsRoot()) argv = {"runuser", "-u", kSuperuser, "--"};
  argv.push_back((bin_dir_ / tool).string());
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> c_argv;
  for (std::string& arg : argv) c_argv.push_back(arg.data());
  c_argv.push_back(nullptr);

  const std::string log = (dir_ / "tools.log").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  // The tools run from "/": the postgres user may not be allowed into the current folder.
  posix_spawn_file_actions_addchdir_np(&actions, "/");
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, c_argv[0], &actions, nullptr, c_argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return InternalError("starting " + tool + ": " + std::generic_category().message(rc));
  }
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0) {
    if (errno != EINTR) return InternalError("waiting for " + tool);
  }
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
    return InternalError(tool + " " + (args.empty() ? "" : args[0]) + " failed; its log ends:\n" +
                         LogTail());
  }
  return OkStatus();
}

std::string PostgresTestCluster::LogTail() const {
  std::string text;
  for (const char* name : {"tools.log", "server.log"}) {
    std::ifstream in(dir_ / name);
    std::stringstream content;
    content << in.rdbuf();
    std::string s = content.str();
    constexpr size_t kTail = 2000;
    if (s.size() > kTail) s = s.substr(s.size() - kTail);
    if (!s.empty()) text += std::string("--- ") + name + "\n" + s;
  }
  return text;
}

Status PostgresTestCluster::StartServer() {
  const std::string options = "-c listen_addresses=127.0.0.1 -p " + std::to_string(port_) + " -k " +
                              dir_.string() +
                              " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
  ENHANCER_RETURN_IF_ERROR(
      RunTool("pg_ctl", {"start", "-D", (dir_ / "data").string(), "-l",
                         (dir_ / "server.log").string(), "-w", "-o", options}));
  running_ = true;
  return OkStatus();
}

Status PostgresTestCluster::Stop() {
  ENHANCER_RETURN_IF_ERROR(
      RunTool("pg_ctl", {"stop", "-D", (dir_ / "data").string(), "-m", "fast", "-w"}));
  running_ = false;
  return OkStatus();
}

Status PostgresTestCluster::StartAgain() { return StartServer(); }

Status PostgresTestCluster::Restart() {
  // Without -o, pg_ctl restarts with the options the server was started with (same port).
  return RunTool("pg_ctl", {"restart", "-D", (dir_ / "data").string(), "-l",
                            (dir_ / "server.log").string(), "-m", "fast", "-w"});
}

std::string PostgresTestCluster::Url(const std::string& database) const {
  return "postgresql://" + std::string(kSuperuser) + ":" + password_ +
         "@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

Result<std::string> PostgresTestCluster::CreateDatabase() {
  std::string name = "test_" + std::to_string(next_database_++);
  ENHANCER_RETURN_IF_ERROR(AdminExec(Url("postgres"), "CREATE DATABASE " + QuoteIdentifier(name)));
  return name;
}

Status PostgresTestCluster::DropDatabase(const std::string& name) {
  return AdminExec(Url("postgres"),
                   "DROP DATABASE IF EXISTS " + QuoteIdentifier(name) + " WITH (FORCE)");
}

ScopedPostgresDatabase::ScopedPostgresDatabase() : cluster_(SharedPostgresCluster()) {
  if (cluster_ == nullptr) {
    status_ = FailedPreconditionError(SharedPostgresClusterError());
    return;
  }
  Result<std::string> name = cluster_->CreateDatabase();
  if (!name) {
    status_ = name.error();
    return;
  }
  name_ = *name;
}

ScopedPostgresDatabase::~ScopedPostgresDatabase() {
  if (cluster_ == nullptr || name_.empty()) return;
  Status dropped = cluster_->DropDatabase(name_);
  if (!dropped.ok()) ADD_FAILURE() << "dropping " << name_ << ": " << dropped.ToString();
}

std::string ScopedPostgresDatabase::url() const {
  return cluster_ != nullptr ? cluster_->Url(name_) : "";
}

}  // namespace enhancer
