using System.Text.Json;
using Handoff.Core.Serialization;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;

namespace Handoff.Workflow;

/// <summary>
/// The one JSON shape of orchestration inputs, outputs and events, in both hosts: the core's conventions (camelCase, enums as camelCase
/// strings, polymorphic commands with a <c>type</c> discriminator). The Function App hands <see cref="Options"/> to the worker's
/// serializer; the self-host's shims and client use <see cref="Converter"/>. A golden-JSON test pins it.
/// </summary>
public static class WorkflowJson
{
    public static readonly JsonSerializerOptions Options = CoreJson.Create();

    public static readonly DataConverter Converter = new JsonDataConverter(Options);
}
