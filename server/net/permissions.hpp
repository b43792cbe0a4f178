#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config/settings.hpp"
#include "core/result.hpp"
#include "luot/v1/luot.pb.h"
#include "net/auth.hpp"

namespace luot::net {

// The one place that says who may do what. Every entry point asks it: the
// HTTP routes, WebSocket commands (through api::submit_command), the web
// pages' data routes, sign-in, and the engine strand's staffing check. Each
// check is a pure function of who asks and what they ask, so it is tested
// without sockets (tests/server/permissions_test.cpp); docs/security.md has
// the table in words.

// What a request may read or do besides issuing a command.
enum class access {
  // Every ticket of the day (GET /api/v1/snapshot): staff.
  staff_snapshot,
  // A counter's waiting list (GET /api/v1/counters/{c}/queue): the officer
  // signed in to that counter, or a manager.
  counter_queue,
  // The last service a counter finished (GET /api/v1/counters/{c}/rating):
  // the counter's rating device, or staff.
  rating_prompt,
  // The live monitor, reports and the staff list and its changes: managers.
  manager_pages,
  // Ending one's own staff session: staff.
  sign_out,
};

// Whether `who` may have `what`; `counter` names the counter for the
// per-counter kinds. Nullopt when allowed, else the refusal to send
// (401 for anonymous callers, 403 for the wrong role).
std::optional<core::error> authorize(const principal& who, access what,
                                     std::string_view counter = {});

// Whether `who` may issue `command`: displays issue nothing; anyone else may
// take a ticket; a kiosk, display or rating device reports its own status;
// only a rating device rates (and only services of its counters); officers
// act only on the counter they are signed in to; any staff member may return
// a no-show; only managers close and reopen categories or change staff; and
// nobody opens a counter except by signing in.
std::optional<core::error> authorize(const principal& who, const v1::Command& command);

// Whether `member` may sign in to `counter` (empty: no counter). Checked
// after the password, so it reveals nothing to a guesser.
std::optional<core::error> authorize_sign_in(const config::staff_member& member,
                                             std::string_view counter);

// Whether the staff member `actor` may act on a counter in state `counter`
// (null when unknown) with `command`: when another officer took the
// counter over, the previous one's session, still naming it, no longer acts
// there, not even to close it. A closed or unknown counter is left to the
// engine, which says so. Run on the engine strand against the live state.
std::optional<core::error> authorize_staffing(const v1::Command& command, std::string_view actor,
                                              const v1::Counter* counter);

// The counter a command acts on, if it is a counter command.
std::optional<std::string> counter_of(const v1::Command& command);

// Centres (one luot-server serving several, docs/multi-centre.md) -------

// Whether a member of staff works at `centre`: the deployment binds each
// member to centres (a one-centre file binds nobody, so all work there).
// A centre's auth knows only the members bound to it, so nobody signs in
// elsewhere.
bool bound_to_centre(const config::staff_member& member, std::string_view centre);
// Whether a device belongs to `centre` (likewise).
bool bound_to_centre(const config::device& device, std::string_view centre);

// Whether `who`'s token may be used at `centre`: a device token or a staff
// session acts and subscribes only at the centre it belongs to; anonymous
// callers anywhere. Refused with PERMISSION_DENIED naming both centres.
std::optional<core::error> authorize_centre(const principal& who, std::string_view centre);

// The centres a province report for `who` covers, of the server's
// `centres`: managers only (401/403 otherwise), and only the centres the
// manager is bound to (the centre of the session in a one-centre file).
core::result<std::vector<std::string>> province_centres(const principal& who,
                                                        const std::vector<std::string>& centres);

}  // namespace luot::net
