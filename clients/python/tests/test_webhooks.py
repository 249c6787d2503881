"""Standard Webhooks verification, against the specification's published test vector."""

import pytest

from oversight import webhooks
from oversight.webhooks import InvalidSignature

# The test vector published with the Standard Webhooks specification.
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
TIMESTAMP = 1614265330
BODY = '{"test": 2432232314}'
SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def headers(signature=SIGNATURE, timestamp=TIMESTAMP, msg_id=MSG_ID):
    return {"Webhook-Id": msg_id, "Webhook-Timestamp": str(timestamp), "Webhook-Signature": signature}


def test_signs_the_published_vector():
    assert webhooks.sign(SECRET, MSG_ID, TIMESTAMP, BODY) == SIGNATURE


def test_verifies_the_published_vector_with_or_without_the_prefix_and_among_other_signatures():
    webhooks.verify(SECRET, headers(), BODY, now=TIMESTAMP)
    webhooks.verify(SECRET.removeprefix("whsec_"), headers(), BODY.encode(), now=TIMESTAMP + 299)
    webhooks.verify(SECRET, headers("v1,b3RoZXI= v2,x " + SIGNATURE), BODY, now=TIMESTAMP)


@pytest.mark.parametrize("change", ["body", "id", "timestamp", "signature", "secret", "version"])
def test_refuses_anything_altered(change):
    secret, h, body = SECRET, headers(), BODY
    if change == "body":
        body = '{"test": 2432232315}'
    elif change == "id":
        h = headers(msg_id="msg_other")
    elif change == "timestamp":
        h = headers(timestamp=TIMESTAMP + 1)
    elif change == "signature":
        h = headers(SIGNATURE[:-2] + "A=")
    elif change == "secret":
        secret = "whsec_" + "A" * 32
    elif change == "version":
        h = headers("v2," + SIGNATURE[3:])
    with pytest.raises(InvalidSignature):
        webhooks.verify(secret, h, body, now=TIMESTAMP)


def test_refuses_an_old_or_future_timestamp_and_missing_headers():
    with pytest.raises(InvalidSignature):
        webhooks.verify(SECRET, headers(), BODY, now=TIMESTAMP + 301)
    with pytest.raises(InvalidSignature):
        webhooks.verify(SECRET, headers(), BODY, now=TIMESTAMP - 301)
    with pytest.raises(InvalidSignature):
        webhooks.verify(SECRET, {"webhook-id": MSG_ID}, BODY, now=TIMESTAMP)
    with pytest.raises(InvalidSignature):
        webhooks.verify(SECRET, headers(timestamp="soon"), BODY, now=TIMESTAMP)
