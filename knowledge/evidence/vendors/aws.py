"""AWS: which region the bucket or endpoint really lives in.

S3 names it in the `x-amz-bucket-region` header, the `<Region>` / `<Endpoint>` elements, or
the AuthorizationHeaderMalformed message ("the region 'us-east-1' is wrong; expecting
'eu-west-1'"). API Gateway's `x-amzn-ErrorType` names the error when the body is terse.

Kinds: `aws_region` {region, endpoint, via}; `aws_error_type` {error_code, header}.
"""

from __future__ import annotations

from collections.abc import Iterator

from knowledge.evidence import Context, extractor
from knowledge.model import Evidence
from knowledge.text import clip

_EXPECTING = "expecting '"


def _element(body: str, name: str) -> str | None:
    start = body.find(f"<{name}>")
    if start < 0:
        return None
    start += len(name) + 2
    end = body.find(f"</{name}>", start, start + 300)
    return body[start:end].strip() or None if end > 0 else None


def _region_from_endpoint(endpoint: str) -> str | None:
    # acme.s3.eu-central-1.amazonaws.com → eu-central-1
    for part in endpoint.split("."):
        if part.count("-") >= 2 and part[-1:].isdigit():
            return part
    return None


@extractor
def aws_evidence(ctx: Context) -> Iterator[Evidence]:
    if ctx.vendor is None or ctx.vendor.id != "aws":
        return
    response = ctx.paste.response
    header_region = response.header("x-amz-bucket-region") if response is not None else None
    body = (ctx.bodies or [""])[0][:16384]
    endpoint = _element(body, "Endpoint")
    region = header_region or _element(body, "Region") or _element(body, "BucketRegion")
    via = "x-amz-bucket-region" if header_region else "the error body"
    if region is None and _EXPECTING in body:
        start = body.find(_EXPECTING) + len(_EXPECTING)
        end = body.find("'", start, start + 40)
        region = body[start:end] if end > 0 else None
    if region is None and endpoint:
        region = _region_from_endpoint(endpoint)
    if region:
        text = f"The bucket is in region `{clip(region, 40)}` ({via})"
        if endpoint:
            text += f"; S3 names the endpoint `{clip(endpoint, 100)}`"
        yield Evidence("aws_region", text, {"region": region[:40], "endpoint": endpoint or "", "via": via})
    if response is not None:
        error_type = response.header("x-amzn-ErrorType")
        if error_type:
            code = error_type.split(":", 1)[0].strip()[:80]
            yield Evidence("aws_error_type", f"`x-amzn-ErrorType: {clip(error_type, 80)}`",
                           {"error_code": code, "header": "x-amzn-ErrorType"})
