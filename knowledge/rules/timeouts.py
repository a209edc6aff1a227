"""A request that failed after exactly a proxy's default timeout: that proxy gave up.

"504 after 60 s" behind an ALB or nginx, "503 after 30 s" on Heroku, "524 after 100 s" through
Cloudflare: the duration names the layer and the setting, which a bare 504 cannot.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from knowledge.evidence import Context
from knowledge.model import Evidence, Finding
from knowledge.rules import finding, rule


@dataclass(frozen=True)
class DefaultTimeout:
    layer: str  # as `server`/`html_page` evidence and vendor ids name it
    label: str  # the layer, for people
    seconds: float
    name: str  # "an AWS ALB's idle timeout (60 s)"
    fix: str
    words: tuple[str, ...]  # how people name the layer in prose
    statuses: frozenset[int | None]


_GATEWAY_TIMEOUT = frozenset({504, 408, 499, 460, None})
DEFAULTS: tuple[DefaultTimeout, ...] = (
    DefaultTimeout("envoy", "Envoy", 15, "Envoy's default route timeout (15 s)",
                   "Set the route's `timeout` in the Envoy (or gateway) config for this path, or make the call "
                   "faster.", ("envoy",), _GATEWAY_TIMEOUT),
    DefaultTimeout("apigateway", "API Gateway", 29, "Amazon API Gateway's integration timeout (29 s)",
                   "API Gateway waits 29 s at most by default: return 202 and finish the work asynchronously "
                   "(SQS, Step Functions), or request a higher integration timeout for a Regional REST API.",
                   ("api gateway", "apigateway", "execute-api"), _GATEWAY_TIMEOUT),
    DefaultTimeout("heroku", "the Heroku router", 30, "Heroku's router timeout (30 s, error H12)",
                   "Heroku's 30 s cannot be raised: answer within it and move the slow work to a worker dyno.",
                   ("heroku", "h12"), frozenset({503, 504, None})),
    DefaultTimeout("gunicorn", "Gunicorn", 30, "Gunicorn's worker timeout (30 s)",
                   "Raise Gunicorn's `--timeout` above the slowest legitimate request, or make that request "
                   "faster; the worker is killed mid-request and the proxy sees the connection drop.",
                   ("gunicorn",), frozenset({502, 504, None})),
    DefaultTimeout("google", "the Google Cloud load balancer", 30, "a Google Cloud load balancer's default backend timeout (30 s)",
                   "Raise the backend service timeout (`gcloud compute backend-services update NAME "
                   "--timeout=120s`, or `timeoutSec` in a GKE BackendConfig).",
                   ("google cloud", "gcp", "gke", "gclb", "google frontend"), _GATEWAY_TIMEOUT | {502}),
    DefaultTimeout("awselb", "the AWS load balancer", 60, "an AWS load balancer's idle timeout (60 s)",
                   "Raise the load balancer's idle timeout (ALB attribute `idle_timeout.timeout_seconds`) above "
                   "the slowest request, or stream or poll instead of holding the connection silent.",
                   ("alb", "elb", "load balancer", "elb.amazonaws.com", "awselb"), _GATEWAY_TIMEOUT),
    DefaultTimeout("nginx", "nginx", 60, "nginx's default `proxy_read_timeout` (60 s)",
                   "Raise `proxy_read_timeout` for this location (ingress-nginx: the annotation "
                   "`nginx.ingress.kubernetes.io/proxy-read-timeout`), or make the endpoint answer sooner.",
                   ("nginx", "ingress", "openresty"), _GATEWAY_TIMEOUT),
    DefaultTimeout("cloudflare", "Cloudflare", 100, "Cloudflare's proxy read timeout (100 s, error 524)",
                   "Cloudflare waits 100 s for the origin (only Enterprise can raise it): return early and let "
                   "the client poll for the result, or serve this path from a hostname that is not proxied.",
                   ("cloudflare",), frozenset({524, 504, None})),
    DefaultTimeout("azure", "Azure App Service", 230, "Azure App Service's front-end timeout (230 s)",
                   "App Service cuts requests at 230 s and it cannot be raised: run the work in the background "
                   "(WebJobs, Functions, a queue) and poll for the result.",
                   ("azure", "app service", "azurewebsites"), _GATEWAY_TIMEOUT | {500, 502}),
)
# A timeout fires at its setting plus a little: "after 61.3 s" is the 60 s one, "~58s" too.
_EARLY, _LATE = 2.5, 3.5


def _named_layers(ctx: Context) -> set[str]:
    """The layers the paste shows (headers, error pages, vendor) or the user names."""
    layers = {str(item.facts.get("layer")) for item in (*ctx.evidence.of("server"), *ctx.evidence.of("html_page"))
              if item.facts.get("layer")}
    if ctx.vendor is not None:
        layers.add(ctx.vendor.id)
    if "ingress-nginx" in layers:
        layers.add("nginx")
    low = ctx.paste.text[:8192].lower()
    for default in DEFAULTS:
        if default.layer not in layers and any(_says(low, word) for word in default.words):
            layers.add(default.layer)
    return layers


def _says(low: str, word: str) -> bool:
    """`word` occurs in `low` as a word of its own (so "alb" is not "album")."""
    start = low.find(word)
    while start >= 0:
        end = start + len(word)
        if (start == 0 or not low[start - 1].isalnum()) and (end == len(low) or not low[end].isalnum()):
            return True
        start = low.find(word, start + 1)
    return False


@rule("gateway.upstream_timeout", needs=("elapsed",))
def ran_into_default_timeout(ctx: Context) -> Iterator[Finding]:
    status = ctx.paste.status
    named = _named_layers(ctx)
    for item in ctx.evidence.of("elapsed"):
        seconds = float(item.facts.get("seconds") or 0)
        fits = [d for d in DEFAULTS if d.seconds - _EARLY <= seconds <= d.seconds + _LATE and status in d.statuses]
        if named:
            fits = [d for d in fits if d.layer in named]
            confidence = 0.9
        elif status in (504, 524):
            confidence = 0.75
        else:  # "timed out after 30000ms" in an app's log is a pool or client timeout, not a proxy's
            return
        if not fits:
            continue
        names = " or ".join(d.name for d in fits[:3])
        said = Evidence("default_timeout", f"{item.text}: that is {names}, so that layer stopped waiting for "
                        "the application", {"layer": fits[0].label})
        result = finding("gateway.upstream_timeout", confidence, said, layer=fits[0].label)
        result.fixes.extend(d.fix for d in fits[:3])
        yield result
        return
