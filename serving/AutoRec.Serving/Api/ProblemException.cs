using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AutoRec.Serving.Api;

/// <summary>
/// A request refused while its parameters are bound (<see cref="ServedModel"/>, <see cref="JsonRequest{T}"/>), with
/// the problem to answer: binding cannot return a result, so it throws this and <see cref="ProblemExceptionHandler"/>
/// writes the problem.
/// </summary>
internal sealed class ProblemException(ProblemHttpResult problem) : Exception(problem?.ProblemDetails.Detail)
{
    /// <summary>The answer.</summary>
    public ProblemHttpResult Problem { get; } = problem ?? throw new ArgumentNullException(nameof(problem));
}

/// <summary>Answers a <see cref="ProblemException"/> with its problem.</summary>
internal sealed class ProblemExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not ProblemException refused)
        {
            return false;
        }

        await refused.Problem.ExecuteAsync(httpContext);
        return true;
    }
}
