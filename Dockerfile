# A small image that runs `validator` on a catalog mounted at /work:
#   docker build -t open-models-validator .
#   docker run --rm -v "$PWD:/work" open-models-validator validate
# The base image is pinned to an exact tag; bump it deliberately (and the tests check it
# stays pinned and the image runs as a non-root user).
FROM python:3.11.7-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# validator/schemas is a link to ../schema, so both folders are copied.
COPY pyproject.toml README.md LICENSE /src/
COPY schema /src/schema
COPY validator /src/validator
RUN pip install --no-compile /src \
    && rm -rf /src \
    && useradd --create-home --uid 10001 --shell /usr/sbin/nologin validator

USER 10001:10001
WORKDIR /work
# The link cache goes to the user's home unless VALIDATOR_CACHE_DIR says otherwise.
ENV VALIDATOR_CACHE_DIR=/home/validator/.cache/validator
ENTRYPOINT ["validator"]
CMD ["validate"]
