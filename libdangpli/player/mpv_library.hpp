#pragma once
// libmpv's client functions, looked up in libmpv at the first MpvPlayer rather than linked: libmpv and
// the eighty libraries it pulls in cost every start of a program that links dangpli::player about
// 0.1-0.2 s of CPU, though only `live` and `playlist play` ever play (session 31).

#include <mpv/client.h>

namespace dangpli::detail {

struct MpvLibrary {
    decltype(&::mpv_create) create;
    decltype(&::mpv_initialize) initialize;
    decltype(&::mpv_terminate_destroy) terminate_destroy;
    decltype(&::mpv_set_option_string) set_option_string;
    decltype(&::mpv_set_property) set_property;
    decltype(&::mpv_get_property) get_property;
    decltype(&::mpv_command) command;
    decltype(&::mpv_command_ret) command_ret;
    decltype(&::mpv_free_node_contents) free_node_contents;
    decltype(&::mpv_wait_event) wait_event;
    decltype(&::mpv_error_string) error_string;
};

// The library this build was compiled against (libmpv.so.<client API major>), loaded once for the
// process's life; throws Error naming it and what the loader said when it or a function is missing.
const MpvLibrary& mpv_library();

}  // namespace dangpli::detail
