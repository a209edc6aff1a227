"""AWS: region mismatches S3 reports, and API Gateway's terse 5xx bodies."""

from __future__ import annotations

from collections.abc import Iterator

from knowledge.evidence import Context
from knowledge.model import Evidence, Finding
from knowledge.rules import finding, rule

# Codes whose fix is "talk to the bucket's own region".
_REGION_CODES = {
    "PermanentRedirect": "redirect.not_followed",
    "TemporaryRedirect": "redirect.not_followed",
    "AuthorizationHeaderMalformed": "auth.malformed_header",
    "IllegalLocationConstraintException": "auth.malformed_header",
    "SignatureDoesNotMatch": "auth.invalid_credentials",
}


def _is_aws(ctx: Context) -> bool:
    return ctx.vendor is not None and ctx.vendor.id == "aws"


@rule("redirect.not_followed", "auth.malformed_header", "auth.invalid_credentials", needs=("aws_region",))
def wrong_region(ctx: Context) -> Iterator[Finding]:
    region = ctx.evidence.first("aws_region")
    if region is None:
        return
    for item in ctx.evidence.of("vendor_error"):
        cause = _REGION_CODES.get(str(item.facts.get("code")))
        if cause is not None:
            yield finding(cause, 0.9, region, item, region=region.facts.get("region"))
            return


@rule("gateway.upstream_bad_response", "gateway.upstream_timeout", statuses=(502, 504))
def api_gateway_integration(ctx: Context) -> Iterator[Finding]:
    """API Gateway's own 502/504 bodies are one sentence; the integration behind it failed."""
    if not _is_aws(ctx) or ctx.paste.status not in (502, 504):
        return
    response = ctx.paste.response
    if response is None or not (response.header("x-amzn-RequestId") or response.header("apigw-requestid")
                                or response.header("x-amz-apigw-id")):
        return
    if ctx.paste.status == 502:
        said = Evidence(
            "aws_integration",
            "API Gateway answered 502: the Lambda function or HTTP integration behind it crashed or "
            "returned a response API Gateway could not use",
            {"layer": "API Gateway"},
        )
        yield finding("gateway.upstream_bad_response", 0.9, said, ctx.evidence.first("error_message"),
                      layer="API Gateway")
    else:
        said = Evidence("aws_integration",
                        "API Gateway answered 504: the integration did not answer within its timeout (29 s at most)",
                        {"layer": "API Gateway"})
        yield finding("gateway.upstream_timeout", 0.9, said, ctx.evidence.first("error_message"), layer="API Gateway")
