from flask_smorest import Blueprint

import consortium.users as users
from consortium.permissions import require
from consortium.users.schemas import UserSchema

blp = Blueprint("users_api", __name__, url_prefix="/api/v1", description="The signed-in user")


@blp.route("/me")
@require()
@blp.response(200, UserSchema)
def me():
    """The current user: by session cookie or by `Authorization: Bearer <token>`."""
    return users.current_person()
