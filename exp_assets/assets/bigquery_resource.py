"""The Dagster resource of a BigQuery warehouse: dagster-gcp's BigQueryResource,
able to reach another endpoint (an emulator)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import dagster as dg
from dagster_gcp import BigQueryResource
from google.cloud import bigquery
from pydantic import Field

from exp_assets.assets.resources import with_environment_values
from exp_assets.warehouse.bigquery_warehouse import BigQueryWarehouse


class BigQueryEndpointResource(BigQueryResource):
    """dagster-gcp's BigQueryResource, plus an optional API endpoint: set, the
    client talks to it with anonymous credentials (a local BigQuery emulator)."""

    api_endpoint: str | None = Field(
        default=None, description="BigQuery API endpoint, e.g. http://127.0.0.1:9050 for an emulator"
    )

    def get_object_to_set_on_execution_context(self):
        # BigQueryResource's own hands a run's context an unstarted generator
        # (a plain function that yields); the resource itself is what adapters need.
        return self

    def adapter(self, output_schema: str, read_only: bool = False) -> BigQueryWarehouse:
        resource = with_environment_values(self)
        return BigQueryWarehouse(resource.get_client, output_schema, location=resource.location,
                                 emulator=bool(resource.api_endpoint))

    @contextlib.contextmanager
    def get_client(self) -> Iterator[bigquery.Client]:
        if not self.api_endpoint:
            with super().get_client() as client:
                yield client
            return
        from google.api_core.client_options import ClientOptions
        from google.auth.credentials import AnonymousCredentials

        yield bigquery.Client(
            project=self.project, location=self.location, credentials=AnonymousCredentials(),
            client_options=ClientOptions(api_endpoint=self.api_endpoint),
        )


def bigquery_resource(config) -> BigQueryEndpointResource:
    """The resource for a `warehouse: {type: bigquery}` block: the project, and
    base64 service-account credentials if that variable is set, come from the
    environment through dagster.EnvVar; otherwise Google's application default
    credentials apply. An endpoint variable, when set, points at an emulator."""
    args: dict[str, object] = {"project": dg.EnvVar(config.project_env)}
    if config.location:
        args["location"] = config.location
    if os.environ.get(config.credentials_env):
        args["gcp_credentials"] = dg.EnvVar(config.credentials_env)
    if os.environ.get(config.endpoint_env):
        args["api_endpoint"] = os.environ[config.endpoint_env]
    return BigQueryEndpointResource(**args)
