// English catalogue: same keys as the Vietnamese one.
#include "text/catalogue_tables.hpp"

namespace luot::text::detail {

namespace {

constexpr entry table[] = {
    {"error.ERROR_CODE_UNSPECIFIED", "Something went wrong."},
    {"error.ERROR_CODE_BAD_REQUEST", "Bad request: {0}"},
    {"error.ERROR_CODE_MALFORMED_MESSAGE", "Malformed message: {0}"},
    {"error.ERROR_CODE_MESSAGE_TOO_LARGE", "Message too large (at most {0} bytes)."},
    {"error.ERROR_CODE_UNAUTHENTICATED", "Sign in to do this."},
    {"error.ERROR_CODE_PERMISSION_DENIED", "Not allowed: {0}"},
    {"error.ERROR_CODE_NOT_FOUND", "Not found: {0}"},
    {"error.ERROR_CODE_RATE_LIMITED", "Too many requests; please try again in a few minutes."},
    {"error.ERROR_CODE_UNAVAILABLE", "The system is temporarily unavailable; please retry."},
    {"error.ERROR_CODE_INTERNAL", "Internal error; please ask staff for help."},
    {"error.ERROR_CODE_UNKNOWN_CATEGORY", "There is no category \"{0}\"."},
    {"error.ERROR_CODE_UNKNOWN_COUNTER", "There is no counter \"{0}\"."},
    {"error.ERROR_CODE_UNKNOWN_TICKET", "Ticket \"{0}\" not found."},
    {"error.ERROR_CODE_UNKNOWN_PRIORITY_CLASS", "There is no priority class \"{0}\"."},
    {"error.ERROR_CODE_UNKNOWN_OUTCOME", "There is no outcome \"{0}\"."},
    {"error.ERROR_CODE_COUNTER_NOT_SERVING_CATEGORY",
     "Counter {0} does not serve category \"{1}\"."},
    {"error.ERROR_CODE_NOTHING_WAITING", "Nobody is waiting for counter {0}."},
    {"error.ERROR_CODE_COUNTER_CLOSED", "Counter {0} is closed."},
    {"error.ERROR_CODE_COUNTER_PAUSED", "Counter {0} is paused."},
    {"error.ERROR_CODE_COUNTER_BUSY",
     "Counter {0} is serving {1}; finish, park or transfer it first."},
    {"error.ERROR_CODE_NO_CURRENT_TICKET", "Counter {0} is not serving anyone."},
    {"error.ERROR_CODE_CATEGORY_OUTSIDE_HOURS", "Category \"{0}\" is outside opening hours."},
    {"error.ERROR_CODE_CATEGORY_LIMIT_REACHED", "Category \"{0}\" has no numbers left today."},
    {"error.ERROR_CODE_CATEGORY_CLOSED", "Category \"{0}\" is temporarily closed."},
    {"error.ERROR_CODE_TICKET_NOT_WAITING", "Ticket {0} is not waiting."},
    {"error.ERROR_CODE_TICKET_NOT_PARKED", "Ticket {0} is not parked at this counter."},
    {"error.ERROR_CODE_RETURN_TOO_LATE", "Ticket {0} came back too late to return."},
    {"error.ERROR_CODE_TICKET_NOT_NO_SHOW", "Ticket {0} is not a no-show."},
    {"error.ERROR_CODE_TRANSFER_TARGET_INVALID", "Cannot transfer: {0}"},
    {"error.ERROR_CODE_COUNTER_NOT_PAUSED", "Counter {0} is not paused."},
    {"error.ERROR_CODE_COUNTER_ALREADY_OPEN", "Counter {0} is already open."},
    {"error.ERROR_CODE_CATEGORY_NOT_CLOSED", "Category \"{0}\" is not closed."},
    {"error.ERROR_CODE_AMBIGUOUS_TICKET",
     "Number {0} exists in several categories; name the category."},

    {"reason.display_no_commands", "display devices issue no commands"},
    {"reason.counters_open_on_sign_in", "counters open when an officer signs in"},
    {"reason.staff_only", "staff only"},
    {"reason.managers_only", "managers only"},
    {"reason.officers_only", "officers at a counter only"},
    {"reason.other_counter", "you are signed in to counter {0}, not counter {1}"},
    {"reason.counter_staffed_by", "counter {0} is staffed by {1}"},
    {"reason.counter_not_allowed", "you are not assigned to counter {0}"},

    {"category.status.CATEGORY_STATUS_OPEN", "Open"},
    {"category.status.CATEGORY_STATUS_CLOSED_OUTSIDE_HOURS", "Outside opening hours"},
    {"category.status.CATEGORY_STATUS_CLOSED_LIMIT_REACHED", "No numbers left today"},
    {"category.status.CATEGORY_STATUS_CLOSED_MANUALLY", "Temporarily closed"},
};

}  // namespace

std::span<const entry> english() {
  return table;
}

}  // namespace luot::text::detail
