#include "app/centre_runtime.hpp"

#include <spdlog/spdlog.h>

#include <map>

#include "app/postgres_sessions.hpp"
#include "core/report.hpp"
#include "net/permissions.hpp"
#include "store/log_reader.hpp"
#include "store/store_factory.hpp"

namespace luot::app {

namespace {

namespace asio = net::asio;

core::timestamp system_now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

// "luot.db" for centre "hanoi": "luot.hanoi.db", next to it.
std::filesystem::path centre_database(const std::filesystem::path& database,
                                      const std::string& id) {
  auto named = database;
  named.replace_filename(database.stem().string() + "." + id + database.extension().string());
  return named;
}

}  // namespace

config::settings centre_settings(const config::deployment& all, std::size_t index) {
  const auto& entry = all.centres.at(index);
  config::settings one;
  one.centre = entry.centre;
  one.server = all.server;
  one.centre_id = entry.id;
  for (const auto& member : all.staff)
    if (net::bound_to_centre(member, entry.id)) one.staff.push_back(member);
  for (const auto& device : all.devices)
    if (net::bound_to_centre(device, entry.id)) one.devices.push_back(device);
  if (all.directory) {
    one.store_centre = entry.id;
    if (store::store_kind_of(all.server.database.string()) == store::store_kind::sqlite)
      one.server.database = centre_database(all.server.database, entry.id);
  }
  return one;
}

centre_runtime::centre_runtime(config::settings settings, const server_options& options,
                               centre_shared shared)
    : settings_(std::move(settings)),
      options_(options),
      shared_(shared),
      auth_(settings_.staff, settings_.devices, settings_.server.session_lifetime,
            settings_.centre_id),
      limiter_(settings_.server.take_ticket_per_minute),
      subscribe_limiter_(settings_.server.subscribe_per_minute),
      router_(*this, auth_, limiter_, shared_.metrics, shared_.pages, &presence_),
      state_{settings_.server,
             auth_,
             limiter_,
             shared_.metrics,
             *this,
             router_,
             shared_.sessions,
             subscribe_limiter_,
             views_,
             presence_,
             {}},
      run_(std::make_unique<executors>(shared_.context, shared_.hub_context)),
      pipeline_(std::make_unique<command_pipeline>(settings_, options_.open_store, shared_.metrics,
                                                   auth_, run_->engine_strand, run_->hub_strand,
                                                   [this] { return now(); })) {}

centre_runtime::executors::executors(asio::io_context& engine, asio::io_context& hub)
    : engine_strand(asio::make_strand(engine)),
      hub_strand(asio::make_strand(hub)),
      roll_timer(engine_strand),
      refresh_timer(hub_strand) {}

centre_runtime::~centre_runtime() = default;

void centre_runtime::release_executors() {
  run_.reset();
}

void centre_runtime::open() {
  pipeline_->open();
  // Several instances may serve a centre whose log is in PostgreSQL: staff
  // sessions live there too, so a sign-in works on all of them. (The store
  // just opened has brought the schema up to date.)
  const auto database = settings_.server.database.string();
  if (!options_.open_store && store::store_kind_of(database) == store::store_kind::postgresql) {
    sessions_ = std::make_unique<postgres_sessions>(database, settings_.store_centre);
    auth_.share_sessions(*sessions_);
  }
  asio::post(run_->engine_strand, [this] {
    pipeline_->check_roll_over();
    schedule_roll_over();
  });
  asio::post(run_->hub_strand, [this] { schedule_refresh(); });
}

void centre_runtime::stop_timers() {
  timers_stopped_ = true;
  asio::post(run_->engine_strand, [this] { run_->roll_timer.cancel(); });
  asio::post(run_->hub_strand, [this] { run_->refresh_timer.cancel(); });
}

void centre_runtime::stop_pipeline() {
  pipeline_->stop();
}

void centre_runtime::execute(v1::Command command, core::actor who, net::command_done done) {
  asio::post(run_->engine_strand, [this, command = std::move(command), who = std::move(who),
                                   done = std::move(done)]() mutable {
    pipeline_->execute(command, who, std::move(done));
  });
}

void centre_runtime::on_hub(std::function<void(net::hub&)> work) {
  asio::post(run_->hub_strand, [this, work = std::move(work)] { work(pipeline_->hub()); });
}

void centre_runtime::offload(std::function<void()> work) {
  asio::post(shared_.blocking, std::move(work));
}

// Reports read the log through a read-only connection of their own, on
// their own thread: a long range never delays a sign-in, a command or a
// commit (WAL lets the writer go on).
void centre_runtime::report(std::string from_day, std::string to_day, net::report_done done) {
  asio::post(shared_.reports, [this, from_day = std::move(from_day), to_day = std::move(to_day),
                               done = std::move(done)] {
    std::map<std::string, std::string> names;
    for (const auto& member : settings_.staff) names[member.username] = member.display_name;
    core::report_builder builder(settings_.centre, std::move(names), from_day, to_day);
    try {
      const auto reader =
          store::open_log_reader(settings_.server.database.string(), settings_.store_centre);
      reader->read_days(from_day, to_day, [&](const v1::Event& event) { builder.add(event); });
    } catch (const std::exception& failure) {
      spdlog::error("report {} to {} of centre {}: {}", from_day, to_day, settings_.centre_id,
                    failure.what());
      return done(core::make_error(v1::ERROR_CODE_UNAVAILABLE));
    }
    done(builder.finish(now()));
  });
}

bool centre_runtime::ready() const {
  return pipeline_->ready();
}

core::timestamp centre_runtime::now() const {
  return options_.clock ? options_.clock() : system_now();
}

void centre_runtime::schedule_refresh() {
  run_->refresh_timer.expires_after(options_.view_refresh_interval);
  run_->refresh_timer.async_wait([this](const boost::system::error_code& ec) {
    // A wait that completed just before stop() cancelled it must not arm
    // the timer again, or the run would last until it fires.
    if (ec || timers_stopped_) return;
    pipeline_->hub().refresh(now());
    schedule_refresh();
  });
}

void centre_runtime::schedule_roll_over() {
  run_->roll_timer.expires_after(options_.roll_over_interval);
  run_->roll_timer.async_wait([this](const boost::system::error_code& ec) {
    if (ec || timers_stopped_) return;
    pipeline_->check_roll_over();
    schedule_roll_over();
  });
}

}  // namespace luot::app
