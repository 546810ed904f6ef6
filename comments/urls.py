from django.urls import path

from comments import views

urlpatterns = [
    path("konsultasi/<id:pk>/komentar/", views.comment_thread, name="consultation-comments"),
    path(
        "konsultasi/<id:pk>/bagian/<id:section_id>/komentar/",
        views.comment_thread,
        name="section-comments",
    ),
    path("komentar/<id:comment_id>/laporkan/", views.comment_report, name="comment-report"),
    path("komentar/<id:comment_id>/hapus/", views.comment_delete, name="comment-delete"),
    path("komentar/<id:comment_id>/ubah/", views.comment_edit, name="comment-edit"),
    path("komentar/<id:comment_id>/moderasi/", views.comment_moderate, name="comment-moderate"),
    path("komentar/saya/", views.my_comments, name="my-comments"),
    path("moderasi/", views.moderation_queue, name="moderation-queue"),
    path("konsultasi/<id:pk>/tanggapan/", views.response_matrix, name="response-matrix"),
    path("konsultasi/<id:pk>/tanggapan/simpan/", views.comment_respond, name="comment-respond"),
    path(
        "konsultasi/<id:pk>/tanggapan/terbitkan/",
        views.responses_publish,
        name="responses-publish",
    ),
]
