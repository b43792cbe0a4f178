#include "projection.hpp"

namespace luot::core {

namespace {

// The name of the event's body field ("ticket_called", ...), for logs.
std::string cause_of(const v1::Event& event) {
  const auto* field = event.GetDescriptor()->FindFieldByNumber(event.body_case());
  return field == nullptr ? "unknown" : field->name();
}

template <typename Record, typename Key>
const Record* find(const google::protobuf::RepeatedPtrField<Record>& list, const Record& record,
                   Key key) {
  for (const auto& existing : list)
    if (key(existing) == key(record)) return &existing;
  return nullptr;
}

// Adds to `update` every record of `now` that `before` lacks or holds
// differently.
void add_changed(const v1::View& now, const v1::View& before, v1::ViewUpdate& update) {
  const auto code = [](const v1::Category& record) -> const std::string& { return record.code(); };
  for (const auto& category : now.categories()) {
    const auto* old = find(before.categories(), category, code);
    if (old == nullptr || old->SerializeAsString() != category.SerializeAsString())
      *update.add_categories() = category;
  }
  const auto device = [](const v1::DeviceStatus& record) -> const std::string& {
    return record.device();
  };
  for (const auto& status : now.devices()) {
    const auto* old = find(before.devices(), status, device);
    if (old == nullptr || old->SerializeAsString() != status.SerializeAsString())
      *update.add_devices() = status;
  }
  const auto id = [](const v1::Counter& record) -> const std::string& { return record.id(); };
  for (const auto& counter : now.counters()) {
    const auto* old = find(before.counters(), counter, id);
    if (old == nullptr || old->SerializeAsString() != counter.SerializeAsString())
      *update.add_counters() = counter;
  }
}

}  // namespace

v1::ViewUpdate project(const engine& engine, const v1::Event& event, const v1::View& before) {
  const auto now = engine.view(from_proto(event.at()));
  v1::ViewUpdate update;
  update.set_seq(event.seq());
  *update.mutable_at() = event.at();
  update.set_service_day(now.service_day());
  update.set_day_closed(event.has_day_closed());
  update.set_cause(cause_of(event));
  add_changed(now, before, update);
  if ((event.has_ticket_called() || event.has_ticket_recalled()) && !now.recent_calls().empty() &&
      now.recent_calls(0).seq() == event.seq())
    *update.mutable_call() = now.recent_calls(0);
  return update;
}

std::optional<v1::ViewUpdate> refresh(const engine& engine, timestamp now, const v1::View& before) {
  const auto current = engine.view(now);
  v1::ViewUpdate update;
  add_changed(current, before, update);
  // Only categories depend on the clock; counters never change by it.
  update.clear_counters();
  if (update.categories().empty()) return std::nullopt;
  update.set_seq(current.seq());
  *update.mutable_at() = current.at();
  update.set_service_day(current.service_day());
  update.set_cause("clock");
  return update;
}

std::optional<v1::View> ticket_view(const engine& engine, std::string_view status_token,
                                    timestamp now) {
  auto ticket = engine.find_ticket_by_token(status_token, now);
  if (!ticket) return std::nullopt;
  auto whole = engine.view(now);
  v1::View view;
  view.set_seq(whole.seq());
  view.set_service_day(whole.service_day());
  *view.mutable_at() = whole.at();
  view.set_centre_name(whole.centre_name());
  view.set_time_zone(whole.time_zone());
  for (const auto& category : whole.categories())
    if (category.code() == ticket->category()) *view.add_categories() = category;
  // The counter serving (or holding) it, for "mời đến quầy N".
  for (const auto& counter : whole.counters())
    if (!ticket->counter().empty() && counter.id() == ticket->counter())
      *view.add_counters() = counter;
  view.set_recent_calls_limit(whole.recent_calls_limit());
  // The names of the priority classes, so a phone can show "Người cao tuổi".
  *view.mutable_priority_classes() = whole.priority_classes();
  ticket->clear_officer();
  *view.mutable_ticket() = std::move(*ticket);
  return view;
}

}  // namespace luot::core
