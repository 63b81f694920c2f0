using System.Security.Claims;
using Moderation.ModerationApi.Auth;

namespace Moderation.ModerationApi.Endpoints;

public static class StaffEndpoints
{
    public sealed record Me(string Name, string Role, IReadOnlyList<string>? Sites);

    /// <summary><c>GET /me</c>: who this credential is — the console's login check.</summary>
    public static RouteGroupBuilder MapStaffEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/me", (ClaimsPrincipal user) => TypedResults.Ok(new Me(
                user.Actor(), user.IsAdmin() ? Staff.AdminRole : Staff.ModeratorRole, user.Sites())))
            .WithSummary("The caller's name, role and sites (null: every site).");
        return group;
    }
}
