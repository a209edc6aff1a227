"""5xx from a proxy, load balancer or CDN: which layer answered tells where to look."""

from __future__ import annotations

from collections.abc import Iterator

from knowledge.evidence import Context
from knowledge.model import Finding
from knowledge.rules import finding, rule

# Status -> (cause, confidence) when a proxy or CDN is seen answering.
_GATEWAY = {
    502: ("gateway.upstream_down", 0.7),
    504: ("gateway.upstream_timeout", 0.85),
    520: ("gateway.upstream_bad_response", 0.85),
    521: ("gateway.upstream_down", 0.92),
    522: ("gateway.upstream_down", 0.85),
    523: ("gateway.upstream_down", 0.9),
    524: ("gateway.upstream_timeout", 0.93),
    525: ("gateway.origin_tls_error", 0.94),
    526: ("gateway.origin_tls_error", 0.94),
    530: ("gateway.upstream_down", 0.8),
    499: ("gateway.client_closed", 0.9),
    460: ("gateway.client_closed", 0.9),
    495: ("gateway.origin_tls_error", 0.9),
    496: ("gateway.origin_tls_error", 0.9),
}
_PROXIES = frozenset({
    "cloudflare", "nginx", "ingress-nginx", "envoy", "istio", "awselb", "cloudfront", "akamai",
    "fastly", "varnish", "traefik", "heroku", "kong", "google", "azure", "apache", "iis",
})


@rule("gateway.upstream_down", "gateway.upstream_timeout", "gateway.upstream_bad_response",
      "gateway.origin_tls_error", "gateway.client_closed", statuses=tuple(_GATEWAY))
def proxy_answered(ctx: Context) -> Iterator[Finding]:
    status = ctx.paste.status
    if status not in _GATEWAY:
        return
    cause, confidence = _GATEWAY[status]
    layer_evidence = [
        item for item in (*ctx.evidence.of("server"), *ctx.evidence.of("html_page"))
        if item.facts.get("layer") in _PROXIES
    ]
    if layer_evidence:
        layer = layer_evidence[0].facts.get("layer")
        yield finding(cause, confidence, *layer_evidence[:2], layer=layer)


# Pages these layers write themselves: a 503 in their markup means no backend answered, not
# that the application chose to say 503.
_BACKEND_LAYERS = frozenset({
    "nginx", "ingress-nginx", "heroku", "awselb", "envoy", "istio", "varnish", "traefik", "kong",
    "google", "azure", "fastly", "cloudfront",
})


@rule("gateway.upstream_down", statuses=(503,))
def proxy_page_503(ctx: Context) -> Iterator[Finding]:
    if ctx.paste.status != 503:
        return
    for item in ctx.evidence.of("html_page"):
        layer = item.facts.get("layer")
        if layer in _BACKEND_LAYERS:
            confidence = 0.8 if layer in ("heroku", "awselb", "ingress-nginx") else 0.7
            yield finding("gateway.upstream_down", confidence, item, ctx.evidence.first("server"), layer=layer)
            return
