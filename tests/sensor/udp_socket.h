#pragma once
// A minimal localhost UDP socket for tests (POSIX): bound to a free port, send and receive
// with a timeout.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <vector>

namespace gs::test {

class UdpSocket {
public:
    UdpSocket() : fd_(::socket(AF_INET, SOCK_DGRAM, 0)) {
        if (fd_ < 0) throw std::runtime_error("socket");
        sockaddr_in address = loopback(0);
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
            throw std::runtime_error("bind");
        socklen_t length = sizeof address;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
        port_ = ntohs(address.sin_port);
        const int buffer = 4 << 20;
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
    }
    ~UdpSocket() { ::close(fd_); }
    UdpSocket(const UdpSocket&) = delete;
    UdpSocket& operator=(const UdpSocket&) = delete;

    int port() const noexcept { return port_; }

    void send(int port, const std::vector<std::uint8_t>& bytes) const {
        const sockaddr_in address = loopback(port);
        ::sendto(fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<const sockaddr*>(&address),
                 sizeof address);
    }

    std::optional<std::vector<std::uint8_t>> receive(int timeoutMs) const {
        pollfd poller{fd_, POLLIN, 0};
        if (::poll(&poller, 1, timeoutMs) != 1) return std::nullopt;
        std::vector<std::uint8_t> bytes(65536);
        const auto size = ::recv(fd_, bytes.data(), bytes.size(), 0);
        if (size < 0) return std::nullopt;
        bytes.resize(static_cast<std::size_t>(size));
        return bytes;
    }

private:
    static sockaddr_in loopback(int port) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return address;
    }

    int fd_;
    int port_ = 0;
};

}  // namespace gs::test
