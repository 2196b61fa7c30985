"""What a page does on the network and in its console, as the browser tests watch it."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, Response, Route


@dataclass
class Traffic:
    """What a page did on the network and in its console."""

    local_host: str
    foreign_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"request to another host: {url}" for url in self.foreign_requests]
            + [f"failed request: {url}" for url in self.failed_requests]
            + [f"console error: {text}" for text in self.console_errors]
        )


def watch(context: BrowserContext, page: Page, base_url: str) -> Traffic:
    """Record every request that leaves the local server (and stop it), failures and errors."""
    traffic = Traffic(local_host=urlsplit(base_url).netloc)

    def route(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).netloc == traffic.local_host:
            route.continue_()
        else:
            traffic.foreign_requests.append(url)
            route.abort()

    def failed(request: Request) -> None:
        # A request the browser cancels itself (the lazy favicon fetch of the previous page when
        # the next one starts loading) is not a broken link: missing files answer 404, below.
        if request.failure == "net::ERR_ABORTED":
            return
        if urlsplit(request.url).netloc == traffic.local_host:
            traffic.failed_requests.append(f"{request.url} ({request.failure})")

    def response(response: Response) -> None:
        if response.status >= 400:
            traffic.failed_requests.append(f"{response.url} ({response.status})")

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            traffic.console_errors.append(message.text)

    context.route("**/*", route)
    page.on("requestfailed", failed)
    page.on("response", response)
    page.on("console", console)
    page.on("pageerror", lambda error: traffic.console_errors.append(str(error)))
    return traffic
