#include "mpv_library.hpp"

#include <dlfcn.h>

#include <string>

#include "dangpli/error.hpp"

namespace dangpli::detail {
namespace {

// The soname follows the client API's major version (libmpv.so.1 for API 1.x, .so.2 for 2.x).
const std::string kMajor = std::to_string(MPV_CLIENT_API_VERSION >> 16);
const std::string kSoname = "libmpv.so." + kMajor;

std::string loader_error() {
    const char* message = dlerror();
    return message ? message : "no reason given";
}

template <typename Function>
void look_up(void* handle, const char* symbol, Function& out) {
    void* address = dlsym(handle, symbol);
    if (!address)
        throw Error("libmpv: " + kSoname + " has no " + symbol + " (" + loader_error() +
                    "); it is older than the libmpv this program was built with");
    out = reinterpret_cast<Function>(address);
}

MpvLibrary load() {
    // Never closed: libmpv keeps threads and global state for the rest of the process.
    void* handle = dlopen(kSoname.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle)
        throw Error("libmpv: cannot load " + kSoname + " (" + loader_error() +
                    "); install it (Debian, Ubuntu: libmpv" + kMajor + "), or use --player command");
    MpvLibrary lib{};
    look_up(handle, "mpv_create", lib.create);
    look_up(handle, "mpv_initialize", lib.initialize);
    look_up(handle, "mpv_terminate_destroy", lib.terminate_destroy);
    look_up(handle, "mpv_set_option_string", lib.set_option_string);
    look_up(handle, "mpv_set_property", lib.set_property);
    look_up(handle, "mpv_get_property", lib.get_property);
    look_up(handle, "mpv_command", lib.command);
    look_up(handle, "mpv_command_ret", lib.command_ret);
    look_up(handle, "mpv_free_node_contents", lib.free_node_contents);
    look_up(handle, "mpv_wait_event", lib.wait_event);
    look_up(handle, "mpv_error_string", lib.error_string);
    return lib;
}

}  // namespace

const MpvLibrary& mpv_library() {
    static const MpvLibrary library = load();  // a failed load throws and is tried again next time
    return library;
}

}  // namespace dangpli::detail
