using System.Reflection;
using AutoRec.Serving.Models;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace AutoRec.Serving.Api;

/// <summary>
/// The model generation a request is answered from. Every endpoint that needs the model takes one as a parameter,
/// which is how holding the generation for the whole request (a reload cannot dispose it under the answer) and the
/// 503 while no model is loaded are declared once: binding leases the current generation and releases it when the
/// response is done, or refuses the request with <see cref="Problems.NotReady"/>; the parameter also puts the 503 into
/// the endpoint's OpenAPI description.
/// </summary>
internal sealed class ServedModel : IEndpointParameterMetadataProvider
{
    private ServedModel(ModelGeneration generation) => Generation = generation;

    /// <summary>The generation, held until the response completes.</summary>
    public ModelGeneration Generation { get; }

    /// <summary>Binds the parameter: leases the current generation for the request.</summary>
    /// <exception cref="ProblemException">No model is loaded yet.</exception>
    public static ValueTask<ServedModel> BindAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        GenerationLease lease = context.RequestServices.GetRequiredService<ModelHolder>().Acquire();
        if (lease.Generation is not { } generation)
        {
            throw new ProblemException(Problems.NotReady());
        }

        context.Response.RegisterForDispose(lease);
        return ValueTask.FromResult(new ServedModel(generation));
    }

    /// <summary>Documents the 503 that every endpoint taking the model can answer.</summary>
    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(
            StatusCodes.Status503ServiceUnavailable, typeof(ProblemDetails), ["application/problem+json"]));
    }
}
