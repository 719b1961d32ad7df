FROM python:3.8-slim
RUN pip install awscli
USER root
ENTRYPOINT ["aws"]
