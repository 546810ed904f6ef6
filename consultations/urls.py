from django.urls import path

from consultations import feedback_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("konsultasi/", views.consultation_list, name="consultation-list"),
    path("konsultasi/<int:pk>/", views.consultation_detail, name="consultation-detail"),
    path("organisasi/daftar/", views.organization_register, name="organization-register"),
    path("organisasi/saya/", views.my_organization, name="my-organization"),
    path(
        "konsultasi/<int:consultation_id>/dasbor/",
        feedback_views.dashboard,
        name="consultation-dashboard",
    ),
    path(
        "konsultasi/<int:consultation_id>/laporan-akhir/",
        feedback_views.final_report,
        name="consultation-final-report",
    ),
    path("hearings/<int:hearing_id>/minutes/", feedback_views.minutes_page, name="hearing-minutes"),
    path(
        "hearings/<int:hearing_id>/minutes/agreements/",
        feedback_views.minutes_agreements,
        name="hearing-minutes-agreements",
    ),
]

# --- Comments, moderation, responses (issue 3: branch comments) ---
urlpatterns += [
    path("konsultasi/<int:pk>/komentar/", views.comment_thread, name="consultation-comments"),
    path(
        "konsultasi/<int:pk>/bagian/<int:section_id>/komentar/",
        views.comment_thread,
        name="section-comments",
    ),
    path("komentar/<int:comment_id>/laporkan/", views.comment_report, name="comment-report"),
    path("komentar/<int:comment_id>/hapus/", views.comment_delete, name="comment-delete"),
    path("komentar/<int:comment_id>/ubah/", views.comment_edit, name="comment-edit"),
    path("komentar/<int:comment_id>/moderasi/", views.comment_moderate, name="comment-moderate"),
    path("komentar/saya/", views.my_comments, name="my-comments"),
    path("moderasi/", views.moderation_queue, name="moderation-queue"),
    path("konsultasi/<int:pk>/tanggapan/", views.response_matrix, name="response-matrix"),
    path("konsultasi/<int:pk>/tanggapan/simpan/", views.comment_respond, name="comment-respond"),
    path(
        "konsultasi/<int:pk>/tanggapan/terbitkan/",
        views.responses_publish,
        name="responses-publish",
    ),
]
