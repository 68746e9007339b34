// Atomic file replacement: a save either fully happens or leaves the old file untouched.
#include "core/io/atomic_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace lvs::core {

namespace {

std::string systemError(const std::string& what, const std::string& path, int err)
{
    return what + " " + path + ": " + std::strerror(err);
}

std::string folderOf(const std::string& path)
{
    auto slash = path.rfind('/');
    if (slash == std::string::npos)
        return ".";
    if (slash == 0)
        return "/";
    return path.substr(0, slash);
}

std::string baseOf(const std::string& path)
{
    auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

} // namespace

Result<void> writeFileAtomically(const std::string& path, std::string_view contents,
                                 const WriteFaults& faults)
{
    const std::string folder = folderOf(path);
    std::string temp = folder + "/." + baseOf(path) + ".XXXXXX";
    std::vector<char> name(temp.begin(), temp.end());
    name.push_back('\0');
    int fd = ::mkstemp(name.data());
    if (fd < 0)
        return fail(systemError("cannot create a temporary file next to", path, errno));
    temp = name.data();

    auto abandon = [&](const std::string& message) {
        ::close(fd);
        ::unlink(temp.c_str());
        return fail(message);
    };

    struct stat existing {};
    mode_t mode = 0644;
    if (::stat(path.c_str(), &existing) == 0)
        mode = existing.st_mode & 07777;
    if (::fchmod(fd, mode) != 0)
        return abandon(systemError("cannot set the mode of", temp, errno));

    std::size_t written = 0;
    while (written < contents.size()) {
        std::size_t chunk = std::min<std::size_t>(contents.size() - written, 1 << 16);
        if (written + chunk > faults.failWriteAfterBytes)
            chunk = faults.failWriteAfterBytes - written;
        ssize_t n = chunk == 0 ? -1 : ::write(fd, contents.data() + written, chunk);
        if (n < 0) {
            int err = chunk == 0 ? ENOSPC : errno;
            if (err == EINTR)
                continue;
            return abandon(systemError("cannot write", path, err));
        }
        written += static_cast<std::size_t>(n);
    }
    if (faults.failFsync || ::fsync(fd) != 0)
        return abandon(systemError("cannot flush", path, faults.failFsync ? EIO : errno));
    if (::close(fd) != 0) {
        int err = errno;
        ::unlink(temp.c_str());
        return fail(systemError("cannot close", path, err));
    }
    if (faults.failRename || ::rename(temp.c_str(), path.c_str()) != 0) {
        int err = faults.failRename ? EXDEV : errno;
        ::unlink(temp.c_str());
        return fail(systemError("cannot replace", path, err));
    }
    // The rename is durable only once the folder's entry is on disk.
    int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
    return {};
}

Result<std::string> readFile(const std::string& path)
{
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode))
        return fail(systemError("cannot read", path, EISDIR));
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        int err = errno;
        return fail(systemError("cannot open", path, err ? err : ENOENT));
    }
    std::ostringstream out;
    out << in.rdbuf();
    if (in.bad())
        return fail(systemError("cannot read", path, errno));
    return out.str();
}

} // namespace lvs::core
